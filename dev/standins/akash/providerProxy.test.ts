import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { prepareDeployment } from "../../../src/lib/akash/deployment.ts";
import { AkashLogsNeedProxyError, AkashProviderError } from "../../../src/lib/akash/errors.ts";
import {
  acceptBid,
  closeDeployment,
  createDeployment,
  waitForBids,
  type BidView,
} from "../../../src/lib/akash/lease.ts";
import { parseProgress } from "../../../src/lib/akash/progress.ts";
import {
  followLeaseEvents,
  followLogs,
  leaseStatus,
  sendManifest,
  type LeaseEvent,
  type LogLine,
} from "../../../src/lib/akash/provider.ts";
import { providerJwt, type JwtSource } from "../../../src/lib/akash/providerAuth.ts";
import type { AkashContext } from "../../../src/lib/akash/lease.ts";
import type { CosmosAccount } from "../../../src/lib/akash/wallet.ts";
import { demoJob, devKeyContext, pinDataset, pinDemoBase, proxiedEndpoint, startAkashTestStack } from "./testing.ts";

let stack: Awaited<ReturnType<typeof startAkashTestStack>>;
let weightsCid: string;
let datasetCid: string;
let account: CosmosAccount;
let ctx: AkashContext;
let jwt: JwtSource;

beforeAll(async () => {
  stack = await startAkashTestStack();
  weightsCid = await pinDemoBase(stack.ipfs.url);
  datasetCid = await pinDataset(stack.ipfs.url);
  ({ account, ctx } = await devKeyContext(stack.standIn.nodeUrl));
  jwt = providerJwt(account);
});
afterAll(() => stack?.stop());

/** A deployment with an accepted lease (manifest not sent yet); `steps` sets how long the job runs. */
async function lease(steps: number): Promise<{ dseq: string; bid: BidView; manifestJson: string }> {
  const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url, steps }));
  const { dseq } = await createDeployment(ctx, prepared, { denom: "uact", amount: "5000000" });
  const [bid] = await waitForBids(ctx, account.address, dseq, { settleMs: 0, intervalMs: 100 });
  await acceptBid(ctx, bid!.ref);
  return { dseq, bid: bid!, manifestJson: prepared.manifestJson };
}

/** The same claims with other times: the proxy checks claims, not signatures (the provider does). */
function retimed(token: string, exp: number): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, number>;
  const moved = { ...claims, iat: exp - 900, nbf: exp - 900, exp };
  return `${header}.${Buffer.from(JSON.stringify(moved)).toString("base64url")}.${signature}`;
}

const fixedToken = (token: string): JwtSource => ({ token: () => Promise.resolve(token) });

describe("the stand-in provider", () => {
  it("refuses a JWT in the query string, over HTTP and on the logs WebSocket, as real providers do", async () => {
    const { bid } = await lease(5);
    const path = `/lease/${bid.ref.dseq}/${bid.ref.gseq}/${bid.ref.oseq}`;
    const token = encodeURIComponent(await jwt.token());
    const status = await fetch(`${bid.hostUri}${path}/status?token=${token}`);
    expect(status.status).toBe(401);
    expect(await status.text()).toContain("Authorization: Bearer");

    const socket = new WebSocket(`${bid.hostUri.replace(/^http/, "ws")}${path}/logs?follow=true&token=${token}`);
    const refused = await new Promise<number>((resolve, reject) => {
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("open", () => reject(new Error("the provider accepted a query-string token")));
    });
    expect(refused).toBe(401);
    await closeDeployment(ctx, bid.ref.dseq);
  });
});

describe("the provider API through HEXS's provider proxy (Console's protocol)", () => {
  it("sends the manifest, reads the status and relays the logs until the job's stream closes", async () => {
    const { dseq, bid, manifestJson } = await lease(5);
    const endpoint = proxiedEndpoint(stack.standIn, bid);
    await sendManifest(endpoint, jwt, dseq, manifestJson);
    const status = await leaseStatus(endpoint, jwt, bid.ref);
    expect(Object.keys(status.services)).toEqual(["trainer"]);

    const lines: LogLine[] = [];
    const stream = await followLogs(endpoint, jwt, bid.ref, (line) => lines.push(line));
    await stream.closed;
    const events = lines.map((l) => parseProgress(l.message)?.event);
    expect(events.filter((e) => e === "step")).toHaveLength(5);
    expect(events).toContain("result");
    expect(lines[0]!.name).toMatch(/^trainer-/);
    await closeDeployment(ctx, dseq);
  });

  it("relays the lease's Kubernetes events as a provider does: none before the manifest, the pod's start, the end with the lease", async () => {
    const { dseq, bid, manifestJson } = await lease(400);
    const endpoint = proxiedEndpoint(stack.standIn, bid);
    // No manifest, no namespace: the provider closes with 4001 (websocketLeaseNotFound).
    const early = await followLeaseEvents(endpoint, jwt, bid.ref, () => undefined);
    const notFound = await early.closed.catch((e: unknown) => e);
    expect((notFound as AkashProviderError).details).toContain("the provider closed the event stream (code 4001");

    await sendManifest(endpoint, jwt, dseq, manifestJson);
    const events: LeaseEvent[] = [];
    const stream = await followLeaseEvents(endpoint, jwt, bid.ref, (event) => events.push(event));
    await expect
      .poll(() => events.map((e) => e.reason))
      .toEqual(["ScalingReplicaSet", "SuccessfulCreate", "Scheduled", "Pulling", "Pulled", "Created", "Started"]);
    expect(events[3]).toMatchObject({
      type: "Normal",
      reportingController: "kubelet",
      note: 'Pulling image "ghcr.io/hexs/trainer-tiny:0.1.0"',
      object: { kind: "Pod", name: expect.stringMatching(/^trainer-/) },
    });
    // Closing the lease deletes its namespace: the provider ends the stream in order.
    await closeDeployment(ctx, dseq);
    await stream.closed;
    expect(events.at(-1)).toMatchObject({ reason: "Killing", note: "Stopping container trainer" });
  });

  it("refuses to follow logs without a proxy instead of putting the token in a URL", async () => {
    const { dseq, bid } = await lease(5);
    const direct = { hostUri: bid.hostUri, providerAddress: bid.ref.provider };
    await expect(followLogs(direct, jwt, bid.ref, () => undefined)).rejects.toBeInstanceOf(AkashLogsNeedProxyError);
    await closeDeployment(ctx, dseq);
  });

  it("reports an unreachable provider as unreachable, and a cut log stream as cut", async () => {
    const { dseq, bid, manifestJson } = await lease(400);
    const endpoint = proxiedEndpoint(stack.standIn, bid);
    await sendManifest(endpoint, jwt, dseq, manifestJson);
    let first!: () => void;
    const firstLine = new Promise<void>((resolve) => (first = resolve));
    const stream = await followLogs(endpoint, jwt, bid.ref, () => first());
    await firstLine;
    stack.standIn.testControls.setProviderReachable("provider-c", false);
    try {
      const cut = await stream.closed.catch((e: unknown) => e);
      expect(cut).toBeInstanceOf(AkashProviderError);
      expect((cut as AkashProviderError).details).toContain("the log stream was cut");
      expect((cut as AkashProviderError).retryable).toBe(true);

      const down = await leaseStatus(endpoint, jwt, bid.ref).catch((e: unknown) => e);
      expect(down).toBeInstanceOf(AkashProviderError);
      expect((down as AkashProviderError).status).toBeUndefined();
      expect((down as AkashProviderError).details).toContain("is temporarily unavailable");
    } finally {
      stack.standIn.testControls.setProviderReachable("provider-c", true);
    }
    await closeDeployment(ctx, dseq);
  });

  it("refuses an expired token at the proxy and a forged one at the provider", async () => {
    const { dseq, bid, manifestJson } = await lease(5);
    const endpoint = proxiedEndpoint(stack.standIn, bid);
    const expired = fixedToken(retimed(await jwt.token(), Math.floor(Date.now() / 1000) - 60));
    const http = await sendManifest(endpoint, expired, dseq, manifestJson).catch((e: unknown) => e);
    expect(http).toMatchObject({ status: 400, details: expect.stringContaining("Token has expired") });
    const logs = await followLogs(endpoint, expired, bid.ref, () => undefined);
    await expect(logs.closed).rejects.toMatchObject({ status: 401, details: expect.stringContaining("expired") });

    // Valid claims for ten more minutes, but the signature was made for other claims.
    const forged = fixedToken(retimed(await jwt.token(), Math.floor(Date.now() / 1000) + 600));
    await expect(sendManifest(endpoint, forged, dseq, manifestJson)).rejects.toMatchObject({ status: 401 });
    await sendManifest(endpoint, jwt, dseq, manifestJson);
    const lines: LogLine[] = [];
    const refused = await followLogs(endpoint, forged, bid.ref, (line) => lines.push(line));
    await expect(refused.closed).rejects.toMatchObject({ details: expect.stringContaining("401") });
    expect(lines).toEqual([]);
    await closeDeployment(ctx, dseq);
  });

  it("answers ping with pong and relays provider messages as Console's proxy does", async () => {
    const { dseq, bid, manifestJson } = await lease(5);
    await sendManifest(proxiedEndpoint(stack.standIn, bid), jwt, dseq, manifestJson);
    const socket = new WebSocket(stack.standIn.providerProxyUrl.replace(/^http/, "ws"));
    const received: Record<string, unknown>[] = [];
    const closed = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as Record<string, unknown>;
        received.push(message);
        if (message.closed) resolve();
      }),
    );
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(JSON.stringify({ type: "ping" }));
    const path = `/lease/${bid.ref.dseq}/${bid.ref.gseq}/${bid.ref.oseq}/logs?follow=true&tail=-1`;
    socket.send(
      JSON.stringify({
        type: "websocket",
        url: `${bid.hostUri}${path}`,
        network: stack.standIn.chainId,
        providerAddress: bid.ref.provider,
        auth: { type: "jwt", token: await jwt.token() },
      }),
    );
    await closed;
    socket.close();
    expect(received[0]).toEqual({ type: "pong" });
    const relayed = received[1] as { type: string; message: { type: string; data: number[] } };
    expect(relayed.type).toBe("websocket");
    expect(relayed.message.type).toBe("Buffer");
    expect(JSON.parse(Buffer.from(relayed.message.data).toString())).toHaveProperty("message");
    expect(received.at(-1)).toMatchObject({ type: "websocket", message: "", closed: true, code: 1000 });
    await closeDeployment(ctx, dseq);
  });
});
