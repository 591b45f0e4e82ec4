import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "node:https";
import { certificateManager } from "@akashnetwork/chain-sdk/web";
import { WebSocket } from "ws";
import {
  generateClientCertificate,
  publishCertificate,
  revokeCertificate,
  type ClientCertificate,
} from "../../../src/lib/akash/certificate.ts";
import { prepareDeployment } from "../../../src/lib/akash/deployment.ts";
import { AkashProviderError } from "../../../src/lib/akash/errors.ts";
import { acceptBid, closeDeployment, createDeployment, waitForBids } from "../../../src/lib/akash/lease.ts";
import type { AkashContext, BidView } from "../../../src/lib/akash/lease.ts";
import { followLogs, leaseStatus, sendManifest } from "../../../src/lib/akash/provider.ts";
import { parseProgress } from "../../../src/lib/akash/progress.ts";
import { providerJwt } from "../../../src/lib/akash/providerAuth.ts";
import type { CosmosAccount } from "../../../src/lib/akash/wallet.ts";
import { LEASE_SEEN_AFTER_BLOCKS } from "./providerApi.ts";
import { providerAddress } from "./providers.ts";
import { demoJob, devKeyContext, pinDataset, pinDemoBase, startAkashTestStack } from "./testing.ts";

let stack: Awaited<ReturnType<typeof startAkashTestStack>>;
let weightsCid: string;
let datasetCid: string;
let account: CosmosAccount;
let ctx: AkashContext;
/** The dev key's certificate, published on chain. */
let certificate: ClientCertificate;

beforeAll(async () => {
  stack = await startAkashTestStack();
  weightsCid = await pinDemoBase(stack.ipfs.url);
  datasetCid = await pinDataset(stack.ipfs.url);
  ({ account, ctx } = await devKeyContext(stack.standIn.nodeUrl));
  certificate = await generateClientCertificate(account.address);
  await publishCertificate(ctx.tx, certificate);
});
afterAll(() => stack?.stop());

const PROVIDER_D = providerAddress("provider-d");
const mtls = (c: { certPem: string; keyPem: string }) => ({ type: "mtls", certPem: c.certPem, keyPem: c.keyPem });

/** A deployment leased to provider-d, the only one with an RTX 3090 (manifest not sent yet). */
async function leaseOnProviderD(steps: number) {
  const job = { ...demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url, steps }), maxPricePerBlock: 20 };
  const prepared = await prepareDeployment({
    ...job,
    resources: { cpu: 1, memory: "2Gi", storage: "4Gi", gpu: { vendor: "nvidia", model: "rtx3090", count: 1 } },
  });
  const { dseq } = await createDeployment(ctx, prepared, { denom: "uact", amount: "5000000" });
  const bids = await waitForBids(ctx, account.address, dseq, { settleMs: 0, intervalMs: 100 });
  expect(bids.map((b) => b.ref.provider)).toEqual([PROVIDER_D]);
  await acceptBid(ctx, bids[0]!.ref);
  // A provider takes the manifest only once it has seen the lease, a block after it (a manifest
  // sent before is a 404 "no lease for deployment"): the tests below send theirs by hand.
  const lease = stack.standIn.chain.leases.find((l) => l.ref.owner === account.address && l.ref.dseq === dseq)!;
  await expect.poll(() => stack.standIn.chain.height >= lease.createdAt + LEASE_SEEN_AFTER_BLOCKS).toBe(true);
  return { dseq, bid: bids[0]!, manifestJson: prepared.manifestJson };
}

/** A lease on provider-d whose manifest was sent by hand through the proxy, with the owner's certificate. */
async function runningOnProviderD(steps: number) {
  const { dseq, bid, manifestJson } = await leaseOnProviderD(steps);
  const auth = mtls(certificate);
  const manifest = await proxied({
    method: "PUT",
    url: `${bid.hostUri}/deployment/${dseq}/manifest`,
    body: manifestJson,
    auth,
  });
  expect(manifest.status).toBe(200);
  return { dseq, bid, auth, lease: `${bid.hostUri}/lease/${dseq}/${bid.ref.gseq}/${bid.ref.oseq}` };
}

/** POST to the provider proxy: status and body text. */
async function proxied(payload: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const response = await fetch(stack.standIn.providerProxyUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ network: stack.standIn.chainId, providerAddress: PROVIDER_D, ...payload }),
  });
  return { status: response.status, text: await response.text() };
}

/** Opens a logs socket through the proxy; `messages` fills until the provider socket closes. */
function proxiedLogs(payload: Record<string, unknown>, onMessage: (m: Record<string, unknown>) => void = () => {}) {
  const socket = new WebSocket(stack.standIn.providerProxyUrl.replace(/^http/, "ws"));
  const messages: Record<string, unknown>[] = [];
  const closed = new Promise<Record<string, unknown>>((resolve) =>
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      messages.push(message);
      onMessage(message);
      if (message.closed) resolve(message);
    }),
  );
  socket.on("open", () =>
    socket.send(
      JSON.stringify({
        type: "websocket",
        network: stack.standIn.chainId,
        providerAddress: PROVIDER_D,
        ...payload,
      }),
    ),
  );
  return { messages, closed: closed.finally(() => socket.close()) };
}

const reasonOf = (closed: Record<string, unknown>) =>
  Buffer.from((closed.reason as { data: number[] }).data).toString();

/** Straight to the provider's HTTPS host, with or without a client certificate. */
function direct(url: string, client?: { certPem: string; keyPem: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { rejectUnauthorized: false, agent: false, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("provider-d, an mTLS-only provider, through HEXS's provider proxy", () => {
  it("registers an HTTPS host of its own on chain", async () => {
    const hostUri = stack.standIn.providerHostUri("provider-d");
    expect(hostUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { bid, dseq } = await leaseOnProviderD(5);
    expect(bid.hostUri).toBe(hostUri);
    await closeDeployment(ctx, dseq);
  });

  it("takes the manifest, reports status and streams the logs to the end with the owner's certificate", async () => {
    const { dseq, lease, auth } = await runningOnProviderD(5);
    const status = await proxied({ method: "GET", url: `${lease}/status`, auth });
    expect(status.status).toBe(200);
    expect(Object.keys((JSON.parse(status.text) as { services: object }).services)).toEqual(["trainer"]);

    const logs = proxiedLogs({ url: `${lease}/logs?follow=true&tail=-1`, auth });
    expect(await logs.closed).toMatchObject({ closed: true, code: 1000 });
    const events = logs.messages
      .filter((m) => !m.closed)
      .map((m) => {
        const line = JSON.parse(Buffer.from((m.message as { data: number[] }).data).toString()) as { message: string };
        return parseProgress(line.message)?.event;
      });
    expect(events.filter((e) => e === "step")).toHaveLength(5);
    expect(events).toContain("result");
    await closeDeployment(ctx, dseq);
  });

  it("refuses a JWT, and a request with no certificate, saying it takes mTLS only", async () => {
    const { dseq, bid } = await leaseOnProviderD(5);
    const url = `${bid.hostUri}/lease/${dseq}/${bid.ref.gseq}/${bid.ref.oseq}/status`;
    const jwt = await proxied({ method: "GET", url, auth: { type: "jwt", token: await providerJwt(account).token() } });
    expect(jwt).toEqual({
      status: 401,
      text: JSON.stringify({
        message: "JWT not accepted: this provider authenticates lease owners by client certificate (mTLS) only",
      }),
    });
    const none = await proxied({ method: "GET", url });
    expect(none.status).toBe(401);
    expect(none.text).toContain(
      "no client certificate: this provider authenticates lease owners by client certificate (mTLS) only",
    );
    await closeDeployment(ctx, dseq);
  });

  it("refuses certificates the chain does not hold as valid for their owner", async () => {
    const { dseq, bid, manifestJson } = await leaseOnProviderD(5);
    const url = `${bid.hostUri}/deployment/${dseq}/manifest`;
    const put = (client: { certPem: string; keyPem: string }) =>
      proxied({ method: "PUT", url, body: manifestJson, auth: mtls(client) });
    const notOnChain = "client certificate rejected: tls: attempt to use non-existing or revoked certificate";

    const unpublished = await generateClientCertificate(account.address);
    expect(await put(unpublished)).toEqual({ status: 401, text: JSON.stringify({ message: notOnChain }) });
    // On the logs socket the provider's 401 reaches the client only as ws's error, as with Console.
    const logs = proxiedLogs({ url: `${bid.hostUri}/lease/${dseq}/1/1/logs`, auth: mtls(unpublished) });
    expect(await logs.closed).toMatchObject({ code: 1006 });
    expect(logs.messages[0]).toEqual({
      type: "websocket",
      message: "Unexpected server response: 401",
      error: "Received error from provider websocket",
    });

    const revoked = await generateClientCertificate(account.address);
    await publishCertificate(ctx.tx, revoked);
    await revokeCertificate(ctx.tx, revoked);
    expect(await put(revoked)).toEqual({ status: 401, text: JSON.stringify({ message: notOnChain }) });

    // Another owner's valid certificate authenticates that owner, who holds no lease here.
    const other = await devKeyContext(
      stack.standIn.nodeUrl,
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    );
    stack.standIn.testControls.fund(other.account.address, 10_000_000n);
    const theirs = await generateClientCertificate(other.account.address);
    await publishCertificate(other.ctx.tx, theirs);
    const answer = await put(theirs);
    // As a real provider: it has no lease of this owner, so no manifest manager to take it.
    expect(answer).toEqual({ status: 404, text: "no lease for deployment\n" });

    // An expired one never gets past the proxy; straight to the provider it is refused too.
    const old = { validFrom: new Date(Date.now() - 2 * 86_400_000), validTo: new Date(Date.now() - 86_400_000) };
    const expiredPem = await certificateManager.generatePEM(account.address, old);
    const expired = { certPem: expiredPem.cert, keyPem: expiredPem.privateKey };
    expect(await direct(`${bid.hostUri}/lease/${dseq}/1/1/status`, expired)).toEqual({
      status: 401,
      text: JSON.stringify({
        message: "client certificate rejected: tls: unable to verify certificate (it has expired or is not yet valid)",
      }),
    });
    expect(await direct(`${bid.hostUri}/lease/${dseq}/1/1/status`, certificate)).toMatchObject({ status: 200 });
    await closeDeployment(ctx, dseq);
  });

  it("refuses malformed and expired client certificates at the proxy, as Console does", async () => {
    const url = `${stack.standIn.providerHostUri("provider-d")}/lease/1/1/1/status`;
    const malformed = await proxied({ method: "GET", url, auth: mtls({ certPem: "not a pem", keyPem: "" }) });
    expect(malformed).toEqual({ status: 400, text: "auth.certPem: is not a valid certificate (invalid)" });
    const old = { validFrom: new Date(Date.now() - 2 * 86_400_000), validTo: new Date(Date.now() - 86_400_000) };
    const expired = await certificateManager.generatePEM(account.address, old);
    const answer = await proxied({
      method: "GET",
      url,
      auth: mtls({ certPem: expired.cert, keyPem: expired.privateKey }),
    });
    expect(answer).toEqual({ status: 400, text: "auth.certPem: is not a valid certificate (expired)" });
    const logs = proxiedLogs({
      url: url.replace(/status$/, "logs"),
      auth: mtls({ certPem: expired.cert, keyPem: "" }),
    });
    await expect
      .poll(() => logs.messages[0])
      .toEqual({
        type: "websocket",
        message: "auth.certPem: is not a valid certificate (expired)",
        error: "Invalid message format",
      });
  });

  it("refuses a URL that is not on the host the given provider registered on chain", async () => {
    const { dseq, bid } = await leaseOnProviderD(5);
    const lease = `${bid.hostUri}/lease/${dseq}/${bid.ref.gseq}/${bid.ref.oseq}`;
    const impostor = { providerAddress: providerAddress("provider-a"), auth: mtls(certificate) };
    const registered = new URL(stack.standIn.providerHostUri("provider-a")).origin;
    const refusal = `url: ${new URL(bid.hostUri).origin} is not the host ${providerAddress("provider-a")} registered on chain (${registered})`;
    expect(await proxied({ method: "GET", url: `${lease}/status`, ...impostor })).toEqual({
      status: 403,
      text: refusal,
    });
    const logs = proxiedLogs({ url: `${lease}/logs?follow=true`, ...impostor });
    await expect
      .poll(() => logs.messages[0])
      .toEqual({ type: "websocket", message: refusal, error: "Invalid message format" });
    await closeDeployment(ctx, dseq);
  });

  it("refuses a provider host presenting a certificate the provider did not publish", async () => {
    const { dseq, bid } = await leaseOnProviderD(5);
    const lease = `${bid.hostUri}/lease/${dseq}/${bid.ref.gseq}/${bid.ref.oseq}`;
    const target = { providerAddress: bid.ref.provider, auth: mtls(certificate) };
    await stack.standIn.testControls.presentUnpublishedCertificate("provider-d", true);
    try {
      expect(await proxied({ method: "GET", url: `${lease}/status`, ...target })).toEqual({
        status: 495,
        text: "Invalid certificate error: unknownCertificate",
      });
      const logs = proxiedLogs({ url: `${lease}/logs?follow=true`, ...target });
      const closed = await logs.closed;
      expect(closed).toMatchObject({ closed: true, code: 1008 });
      expect(reasonOf(closed)).toBe("invalidCertificate.unknownCertificate");
      expect(logs.messages).toHaveLength(1);
    } finally {
      await stack.standIn.testControls.presentUnpublishedCertificate("provider-d", false);
    }
    expect(await proxied({ method: "GET", url: `${lease}/status`, ...target })).toMatchObject({ status: 200 });
    await closeDeployment(ctx, dseq);
  });

  it("goes off the network and back with the test controls, cutting its open log streams", async () => {
    const { dseq, bid, lease, auth } = await runningOnProviderD(400);
    let first!: () => void;
    const firstLine = new Promise<void>((resolve) => (first = resolve));
    const logs = proxiedLogs({ url: `${lease}/logs?follow=true`, auth }, () => first());
    await firstLine;
    stack.standIn.testControls.setProviderReachable("provider-d", false);
    try {
      expect(await logs.closed).toMatchObject({ closed: true, code: 1006 });
      expect(await proxied({ method: "GET", url: `${lease}/status`, auth })).toEqual({
        status: 503,
        text: `Provider ${bid.hostUri} is temporarily unavailable`,
      });
    } finally {
      stack.standIn.testControls.setProviderReachable("provider-d", true);
    }
    expect((await proxied({ method: "GET", url: `${lease}/status`, auth })).status).toBe(200);
    await closeDeployment(ctx, dseq);
  });
});

describe("the dApp's provider client with a client certificate", () => {
  const endpoint = (bid: BidView, address = bid.ref.provider) => ({
    hostUri: bid.hostUri,
    providerAddress: address,
    proxy: { url: stack.standIn.providerProxyUrl, network: stack.standIn.chainId },
  });

  it("sends the manifest, reads the status and follows the logs to a normal end", async () => {
    const { dseq, bid, manifestJson } = await leaseOnProviderD(5);
    await sendManifest(endpoint(bid), certificate, dseq, manifestJson);
    expect((await leaseStatus(endpoint(bid), certificate, bid.ref)).services.trainer?.total).toBe(1);
    const lines: string[] = [];
    const stream = await followLogs(endpoint(bid), certificate, bid.ref, (line) => lines.push(line.message));
    await stream.closed;
    expect(lines.map((l) => parseProgress(l)?.event)).toContain("result");
    await closeDeployment(ctx, dseq);
  });

  it("shows the provider's reason when it refuses a JWT", async () => {
    const { dseq, bid, manifestJson } = await leaseOnProviderD(5);
    const refused = await sendManifest(endpoint(bid), providerJwt(account), dseq, manifestJson).catch((e) => e);
    expect(refused).toBeInstanceOf(AkashProviderError);
    expect(refused).toMatchObject({ status: 401, retryable: false });
    expect((refused as AkashProviderError).details).toContain(
      "— JWT not accepted: this provider authenticates lease owners by client certificate (mTLS) only",
    );
    await closeDeployment(ctx, dseq);
  });

  it("fails the log stream, not ends it, when the proxy refuses the provider's certificate or the provider closes on an error", async () => {
    const { dseq, bid, manifestJson } = await leaseOnProviderD(5);
    // The provider closes with 4000 "no running pods" while no manifest has started a workload.
    const early = await followLogs(endpoint(bid), certificate, bid.ref, () => undefined);
    const error = await early.closed.catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true });
    expect(error).toMatchObject({ noRunningPods: true });
    expect((error as AkashProviderError).details).toContain("no running pods");

    await sendManifest(endpoint(bid), certificate, dseq, manifestJson);
    await stack.standIn.testControls.presentUnpublishedCertificate("provider-d", true);
    try {
      const impostor = await followLogs(endpoint(bid), certificate, bid.ref, () => undefined);
      const refused = await impostor.closed.catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 495, retryable: false });
      expect((refused as AkashProviderError).details).toContain("invalidCertificate.unknownCertificate");
    } finally {
      await stack.standIn.testControls.presentUnpublishedCertificate("provider-d", false);
    }
    await closeDeployment(ctx, dseq);
  });
});
