// A provider learns of a lease a block after it exists and answers the manifest with 404 "no
// lease for deployment" until then; the dApp's sendManifest waits and sends it again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDeployment } from "../../../src/lib/akash/deployment.ts";
import { AkashProviderError } from "../../../src/lib/akash/errors.ts";
import { acceptBid, closeDeployment, createDeployment, waitForBids } from "../../../src/lib/akash/lease.ts";
import { sendManifest } from "../../../src/lib/akash/provider.ts";
import { providerJwt } from "../../../src/lib/akash/providerAuth.ts";
import { demoJob, devKeyContext, proxiedEndpoint, startAkashTestStack } from "./testing.ts";

let stack: Awaited<ReturnType<typeof startAkashTestStack>>;
beforeAll(async () => {
  // Slow blocks, so the manifest surely arrives in the lease's own block.
  stack = await startAkashTestStack({ blockMs: 1_500, bidDelayMs: 100 });
});
afterAll(() => stack?.stop());

describe("a provider that has not seen the lease yet", () => {
  it("answers 404 'no lease for deployment', and the manifest goes through on a later try", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const job = demoJob({
      weightsCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
      datasetCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
      ipfsUrl: stack.ipfs.url,
    });
    const prepared = await prepareDeployment(job);
    const { dseq } = await createDeployment(ctx, prepared, { denom: "uact", amount: "5000000" });
    const [bid] = await waitForBids(ctx, account.address, dseq, { settleMs: 0, intervalMs: 100 });
    await acceptBid(ctx, bid!.ref);
    const endpoint = proxiedEndpoint(stack.standIn, bid!);
    const jwt = providerJwt(account);

    const early = await sendManifest(endpoint, jwt, dseq, prepared.manifestJson, { retryDelaysMs: [] }).catch(
      (e: unknown) => e,
    );
    expect(early).toBeInstanceOf(AkashProviderError);
    expect(early).toMatchObject({ status: 404, leaseNotSeen: true, retryable: true });

    const waits: number[] = [];
    await sendManifest(endpoint, jwt, dseq, prepared.manifestJson, {
      retryDelaysMs: [500, 500, 500, 500, 500, 500, 500, 500],
      onWait: (attempt) => waits.push(attempt),
    });
    expect(waits.length).toBeGreaterThan(0);
    await closeDeployment(ctx, dseq);
  }, 60_000);
});
