// The gateway served from an Akash lease, the way the dApp deploys it: the SDL HEXS writes for an
// agent (src/lib/akash/gatewayService.ts), a deployment funded in ACT, a bid accepted, the manifest
// sent with the owner's JWT through the provider proxy, the lease status naming the service's URI;
// then the official OpenAI client at that URI, with a user's key, and usage settled on chain by the
// operator key the SDL carried. The Akash stand-in runs the image as gateway/main.ts on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { prepareSdl } from "../../src/lib/akash/deployment.ts";
import {
  buildGatewaySdl,
  gatewayEndpoints,
  GATEWAY_SERVICE,
  probeGateway,
} from "../../src/lib/akash/gatewayService.ts";
import { privateKeyToAddress } from "viem/accounts";
import {
  acceptBid,
  closeDeployment,
  createDeployment,
  readDeploymentState,
  waitForBids,
} from "../../src/lib/akash/lease.ts";
import { leaseStatus, sendManifest } from "../../src/lib/akash/provider.ts";
import { providerJwt } from "../../src/lib/akash/providerAuth.ts";
import { parseApiKey } from "../../src/lib/apiKey.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { startAkashStandIn, type AkashStandIn } from "../../dev/standins/akash/server.ts";
import { devKeyContext, proxiedEndpoint } from "../../dev/standins/akash/testing.ts";
import { devKey, eventually, startTestStack, type TestStack } from "../test/stack.ts";

const OWNER = 1;
const USER = 2;

let stack: TestStack;
let standIn: AkashStandIn;

beforeAll(async () => {
  stack = await startTestStack();
  standIn = await startAkashStandIn({ blockMs: 200, bidDelayMs: 300, devKeyActFunds: 1_000_000_000n });
}, 180_000);

afterAll(async () => {
  await standIn?.stop();
  await stack?.stop();
});

describe("an agent's gateway on an Akash lease", () => {
  it("serves the OpenAI API at the lease's URI and settles usage with the operator key the SDL carries", async () => {
    const agent = await stack.createAgent({ owner: OWNER, name: "Served on Akash" });
    const apiKey = await stack.userKey(agent, USER, { credits: 2_000n, cap: 2_000n });
    const { account, ctx } = await devKeyContext(standIn.nodeUrl);
    const prepared = await prepareSdl(
      buildGatewaySdl({
        agent,
        rpcUrl: stack.rpcUrl,
        operatorKey: devKey(OWNER),
        ipfsGateways: [stack.ipfsUrl],
        resources: { cpu: 1, memory: "2Gi", storage: "4Gi" },
        maxPricePerBlock: 10,
        settleIntervalSeconds: 1,
      }),
    );
    const { dseq } = await createDeployment(ctx, prepared, { denom: "uact", amount: "5000000" });
    const [bid] = await waitForBids(ctx, account.address, dseq, { settleMs: 300, intervalMs: 150 });
    await acceptBid(ctx, bid!.ref);
    const endpoint = proxiedEndpoint(standIn, bid!);
    const jwt = providerJwt(account);
    await sendManifest(endpoint, jwt, dseq, prepared.manifestJson);

    // The lease status names the service's URI once it runs, as a provider names its ingress host.
    let candidates: string[] = [];
    await eventually(
      async () => {
        const service = (await leaseStatus(endpoint, jwt, bid!.ref)).services[GATEWAY_SERVICE];
        candidates = service?.available ? gatewayEndpoints(service.uris) : [];
        return candidates.length > 0;
      },
      "the gateway's URI",
      30_000,
    );
    // A bare ingress host: HTTPS is tried first; the stand-in's loopback port answers plain HTTP.
    expect(candidates[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    let url: string | undefined;
    await eventually(
      async () => {
        const probe = await probeGateway(candidates);
        url = probe?.endpoint;
        return probe?.ready === true;
      },
      "the gateway to load the agent's weights",
      60_000,
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    const client = new OpenAI({ baseURL: url, apiKey });
    expect((await client.models.list()).data.map((m) => m.id)).toEqual([agent.toLowerCase()]);
    const completion = await client.chat.completions.create({
      model: agent.toLowerCase(),
      messages: [{ role: "user", content: "Once upon a time" }],
      max_tokens: 8,
      seed: 3,
    });
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    const billed = BigInt(completion.usage!.total_tokens);

    // The operator key settles the usage on chain, and registered itself as the receipt signer.
    await eventually(
      async () => {
        const key = (await client.get("/key")) as { unsettled: number; spent: number };
        return BigInt(key.spent) === billed && key.unsettled === 0;
      },
      "the usage to settle",
      30_000,
    );
    const spentOnChain = await stack.publicClient.readContract({
      address: agent,
      abi: agentAbi,
      functionName: "apiKey",
      args: [parseApiKey(apiKey).keyId],
    });
    expect(spentOnChain).toMatchObject({ spent: billed });
    const signer = await stack.publicClient.readContract({
      address: agent,
      abi: agentAbi,
      functionName: "receiptSigner",
    });
    expect(signer).toBe(privateKeyToAddress(devKey(OWNER)));

    // Closing the deployment stops the gateway with the lease.
    await closeDeployment(ctx, dseq);
    expect(await readDeploymentState(ctx, account.address, dseq)).toBe("closed");
    await eventually(
      async () =>
        !(await fetch(new URL("/health", url)).then(
          (r) => r.ok,
          () => false,
        )),
      "the gateway to stop",
      15_000,
    );
  }, 180_000);
});
