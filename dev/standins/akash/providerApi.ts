// The provider API subset the client uses, for every stand-in provider (providerHosts.ts says
// where each is served): PUT manifest (checked against the deployment's hash on chain), GET
// lease status, and the logs WebSocket. Every call is authenticated as the provider's `auth`
// says: a JWT provider reads the owner's JWT only from `Authorization: Bearer`, as real
// providers do (akash-network/provider, gateway/rest/auth.go), so a browser reaches the logs
// through a provider proxy (providerProxy.ts), not with a URL token; an mTLS provider takes
// only the TLS client certificate (mtls.ts).
import type { IncomingMessage } from "node:http";
import { TLSSocket } from "node:tls";
import type { WebSocket } from "ws";
import { manifestVersionOf } from "../../../src/lib/akash/deployment.ts";
import { key, type StandInChain } from "./chain.ts";
import { createHash } from "node:crypto";
import { startJob, type Job, type LeaseEvent } from "./jobs.ts";
import { JwtRejected, verifyLeaseJwt, type ProviderAction } from "./jwt.ts";
import { MTLS_ONLY, MtlsRejected, verifyClientCertificate } from "./mtls.ts";
import { providerAddress } from "./providers.ts";
import type { RestReply } from "./rest.ts";

interface ManifestService {
  name: string;
  image: string;
  env: string[] | null;
}

export interface LeaseStream {
  kind: "logs" | "kubeevents";
  owner: string;
  dseq: string;
}

/** The lease's namespace on the provider's cluster: a hash of the lease id, as builder.LidNS names it. */
function leaseNamespace(ref: { owner: string; dseq: string; gseq: number; oseq: number; provider: string }): string {
  const id = `${ref.owner}/${ref.dseq}/${ref.gseq}/${ref.oseq}/${ref.provider}`;
  return createHash("sha256").update(id).digest("hex").slice(0, 45);
}

/**
 * Blocks after a lease's own before its provider knows of it: a real provider learns of leases
 * from the chain's events once their block is committed, and until then answers the manifest
 * with 404 "no lease for deployment" (manifest/manager.go ErrNoLeaseForDeployment, turned into a
 * plain-text 404 by gateway/rest/router.go).
 */
export const LEASE_SEEN_AFTER_BLOCKS = 1n;

export interface ProviderBehaviour {
  extraEnv: Record<string, string>;
  podStartDelayMs?: number;
  /** Blocks after a lease's own before the provider takes its manifest (default LEASE_SEEN_AFTER_BLOCKS). */
  leaseSeenAfterBlocks?: bigint;
  /**
   * How the logs socket ends when the workload exits: "close" (1000) or "drop" (the TCP connection
   * just ends, 1006: a real provider's stream may end so when its log scanner stops).
   */
  endOfLogs?: "close" | "drop";
}

export function providerApi(chain: StandInChain, options: ProviderBehaviour) {
  const jobs = new Map<string, Job>();
  /** Providers that answer a logs upgrade with an HTTP error (test controls). */
  const refusedLogs = new Map<string, number>();
  const leaseSeenAfter = options.leaseSeenAfterBlocks ?? LEASE_SEEN_AFTER_BLOCKS;

  /** The lease owner the request speaks for; throws JwtRejected or MtlsRejected. */
  async function authenticate(req: IncomingMessage, name: string, action: ProviderAction): Promise<string> {
    const header = req.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (chain.providers.find((p) => p.name === name)?.auth === "mtls") {
      if (token) throw new MtlsRejected(`JWT not accepted: ${MTLS_ONLY}`);
      const peer = req.socket instanceof TLSSocket ? req.socket.getPeerX509Certificate() : undefined;
      return verifyClientCertificate(peer, (owner, serial) => chain.certificate(owner, serial));
    }
    if (!token) throw new JwtRejected("no token: send Authorization: Bearer <JWT>");
    return verifyLeaseJwt(token, action, (address) => chain.accounts.get(address)?.pubkey);
  }

  function activeLease(owner: string, dseq: string, provider: string) {
    return chain.leases.find(
      (l) => l.ref.owner === owner && l.ref.dseq === dseq && l.ref.provider === provider && l.state === "active",
    );
  }

  const fail = (status: number, message: string): RestReply => ({ status, body: { message } });
  /** A failed authentication is a 401 with its reason; anything else is not ours to answer. */
  const refusal = (error: unknown): RestReply => {
    if (error instanceof JwtRejected) return fail(401, `JWT rejected: ${error.message}`);
    if (error instanceof MtlsRejected) return fail(401, error.message);
    throw error;
  };

  return {
    /** Test control: provider `name` answers logs upgrades with HTTP `status` (undefined: as usual again). */
    refuseLogs(name: string, status: number | undefined): void {
      if (status) refusedLogs.set(name, status);
      else refusedLogs.delete(name);
    },

    /** Stops the workload of a lease that ended on chain. */
    stopLease(owner: string, dseq: string, provider: string) {
      jobs.get(`${provider}/${key(owner, dseq)}`)?.stop();
    },
    stopAll() {
      for (const job of jobs.values()) job.stop();
    },

    async handle(req: IncomingMessage, name: string, rest: string, body: string): Promise<RestReply> {
      const provider = providerAddress(name);
      let match: RegExpExecArray | null;
      try {
        if (req.method === "PUT" && (match = /^\/deployment\/(\d+)\/manifest$/.exec(rest))) {
          const owner = await authenticate(req, name, "send-manifest");
          const dseq = match[1]!;
          const lease = activeLease(owner, dseq, provider);
          if (!lease || chain.height < lease.createdAt + leaseSeenAfter)
            return { status: 404, body: "no lease for deployment\n" };
          const deployment = chain.deployments.get(key(owner, dseq))!;
          const version = await manifestVersionOf(body).catch(() => undefined);
          if (!version || Buffer.compare(Buffer.from(version), Buffer.from(deployment.hash)) !== 0) {
            return fail(
              422,
              "manifest version validation failed: the manifest does not hash to the deployment's version",
            );
          }
          const groups = JSON.parse(body) as { services: ManifestService[] }[];
          const service = groups[lease.ref.gseq - 1]?.services[0];
          if (!service) return fail(422, "manifest has no service for the leased group");
          const env = Object.fromEntries(
            (service.env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
          );
          const jobKey = `${provider}/${key(owner, dseq)}`;
          jobs.get(jobKey)?.stop();
          jobs.set(
            jobKey,
            startJob({
              service: service.name,
              image: service.image,
              env,
              extraEnv: options.extraEnv,
              namespace: leaseNamespace(lease.ref),
              startDelayMs: options.podStartDelayMs ?? 0,
            }),
          );
          return { status: 200, body: "" };
        }
        if (req.method === "GET" && (match = /^\/lease\/(\d+)\/(\d+)\/(\d+)\/status$/.exec(rest))) {
          const owner = await authenticate(req, name, "status");
          const lease = activeLease(owner, match[1]!, provider);
          if (!lease) return fail(404, "lease not found or not active");
          const job = jobs.get(`${provider}/${key(owner, match[1]!)}`);
          const running = job?.running && job.exitCode === undefined ? 1 : 0;
          const service = job?.service ?? "trainer";
          return {
            status: 200,
            body: {
              services: {
                [service]: {
                  name: service,
                  available: running,
                  total: 1,
                  uris: job?.uris ?? null,
                  ready_replicas: running,
                  observed_generation: 1,
                  replicas: 1,
                  updated_replicas: 1,
                  available_replicas: running,
                },
              },
              forwarded_ports: {},
              ips: {},
            },
          };
        }
        return fail(404, `${req.method} ${rest} is not served by the stand-in provider`);
      } catch (error) {
        return refusal(error);
      }
    },

    /**
     * Checks a logs or events WebSocket request before the upgrade, as a provider's gateway does:
     * a refused one gets an HTTP error and never becomes a socket. Returns what to stream.
     */
    async authorizeStream(req: IncomingMessage, name: string, rest: string): Promise<LeaseStream | RestReply> {
      const match = /^\/lease\/(\d+)\/(\d+)\/(\d+)\/(logs|kubeevents)$/.exec(rest);
      if (!match) return fail(404, `${rest} is not a logs or events path`);
      const kind = match[4] as LeaseStream["kind"];
      const refusedWith = kind === "logs" ? refusedLogs.get(name) : undefined;
      if (refusedWith) return fail(refusedWith, "the provider refused the logs stream");
      try {
        return { kind, owner: await authenticate(req, name, kind === "logs" ? "logs" : "events"), dseq: match[1]! };
      } catch (error) {
        return refusal(error);
      }
    },

    stream(socket: WebSocket, name: string, lease: LeaseStream): void {
      if (lease.kind === "logs") this.logs(socket, name, lease);
      else this.events(socket, name, lease);
    },

    /**
     * The events WebSocket (gateway/rest/router.go wsEventWriter): every event of the lease's
     * namespace so far, then new ones, as JSON LeaseEvents; closes 1000 when the namespace is
     * gone (the lease closed). Before any manifest there is no namespace: 4001 (lease not found).
     */
    events(socket: WebSocket, name: string, lease: { owner: string; dseq: string }): void {
      const job = jobs.get(`${providerAddress(name)}/${key(lease.owner, lease.dseq)}`);
      if (!job) return void socket.close(4001, "");
      const send = (event: LeaseEvent | undefined) => {
        if (event) socket.send(JSON.stringify(event));
        else socket.close(1000, "");
      };
      for (const event of job.events) send(event);
      job.eventListeners.add(send);
      socket.on("close", () => job.eventListeners.delete(send));
    },

    /**
     * The logs WebSocket: every line so far, then new ones; closes when the job ends. With no pod
     * running (no manifest yet, or its image still being pulled) a provider closes at once with
     * 4000 "no running pods" (gateway/rest/router.go wsLogWriter, websocketInternalServerErrorCode).
     */
    logs(socket: WebSocket, name: string, lease: { owner: string; dseq: string }): void {
      const job = jobs.get(`${providerAddress(name)}/${key(lease.owner, lease.dseq)}`);
      if (!job || !job.running) {
        socket.close(4000, "no running pods");
        return;
      }
      const send = (line: { name: string; message: string } | undefined) => {
        if (line) socket.send(JSON.stringify(line));
        else if (options.endOfLogs === "drop") socket.terminate();
        else socket.close(1000, "workload ended");
      };
      for (const line of job.lines) send(line);
      if (job.exitCode !== undefined) return send(undefined);
      job.listeners.add(send);
      socket.on("close", () => job.listeners.delete(send));
    },
  };
}
