// Bench section `akash`: the local fine-tune of the demo model (wall time, loss before/after on
// the dataset's held-out tail) through the real lease flow on the Akash stand-in, and the time
// from "accept bid" to the first log line the provider streams — with a JWT, and with a client
// certificate on the provider that accepts only mTLS.
import { availableParallelism, cpus } from "node:os";
import { generateClientCertificate, publishCertificate } from "../../src/lib/akash/certificate.ts";
import { prepareDeployment } from "../../src/lib/akash/deployment.ts";
import type { TrainingJob } from "../../src/lib/akash/job.ts";
import { acceptBid, closeDeployment, createDeployment, waitForBids, type AkashContext } from "../../src/lib/akash/lease.ts";
import { parseProgress, type ResultEvent } from "../../src/lib/akash/progress.ts";
import { followLogs, sendManifest, type ProviderCredentials } from "../../src/lib/akash/provider.ts";
import { providerJwt } from "../../src/lib/akash/providerAuth.ts";
import { demoJob, devKeyContext, pinDataset, pinDemoBase, proxiedEndpoint, startAkashTestStack } from "../standins/akash/testing.ts";
import type { BenchSection } from "./report.ts";

const STEPS = 40;

interface LeaseRun {
  /** Milliseconds from "accept bid" to the first log line. */
  firstLineMs: number;
  /** Milliseconds from the trainer's "started" line to its result. */
  trainMs: number;
  /** Milliseconds from the result line to the closing transaction's confirmation (billing stops). */
  closeMs: number;
  result: ResultEvent;
}

/** Creates the deployment, accepts its first bid, sends the manifest and follows the job to its end. */
async function leaseAndFollow(
  stack: Awaited<ReturnType<typeof startAkashTestStack>>,
  ctx: AkashContext,
  owner: string,
  job: TrainingJob,
  credentials: ProviderCredentials,
): Promise<LeaseRun> {
  const prepared = await prepareDeployment(job);
  const { dseq } = await createDeployment(ctx, prepared, { denom: "uact", amount: "5000000" });
  const [bid] = await waitForBids(ctx, owner, dseq, { settleMs: 0, intervalMs: 100 });
  if (!bid) throw new Error("no bid from the stand-in");
  const endpoint = proxiedEndpoint(stack.standIn, bid);

  const accepted = performance.now();
  await acceptBid(ctx, bid.ref);
  await sendManifest(endpoint, credentials, dseq, prepared.manifestJson);
  let firstLine: number | undefined;
  let started: number | undefined;
  let finished: number | undefined;
  let result: ResultEvent | undefined;
  let sawResult!: () => void;
  const resultSeen = new Promise<void>((resolve) => (sawResult = resolve));
  const stream = await followLogs(endpoint, credentials, bid.ref, (line) => {
    firstLine ??= performance.now();
    const event = parseProgress(line.message);
    if (event?.event === "started") started = performance.now();
    if (event?.event === "result") {
      finished = performance.now();
      result = event;
      sawResult();
    }
  });
  // As /train does: the run ends at the result line (the trainer image then idles, its stream open).
  await Promise.race([resultSeen, stream.closed]);
  stream.close();
  await closeDeployment(ctx, dseq);
  const closed = performance.now();
  if (!result || firstLine === undefined || started === undefined || finished === undefined) throw new Error("the job produced no result");
  return { firstLineMs: firstLine - accepted, trainMs: finished - started, closeMs: closed - finished, result };
}

export async function run(): Promise<BenchSection> {
  // Jobs idle after their result as the trainer images do: only closing the lease stops billing.
  const stack = await startAkashTestStack({ holdAfterExit: true });
  try {
    const ipfs = stack.ipfs.url;
    const job = demoJob({ weightsCid: await pinDemoBase(ipfs), datasetCid: await pinDataset(ipfs), ipfsUrl: ipfs, steps: STEPS });
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const jwt = providerJwt(account);
    await jwt.token();
    const viaJwt = await leaseAndFollow(stack, ctx, account.address, job, jwt);

    // The stand-in's mTLS-only provider is the one with an RTX 3090; the certificate is published first.
    const certificate = await generateClientCertificate(account.address);
    await publishCertificate(ctx.tx, certificate);
    const gpuJob: TrainingJob = {
      ...job,
      hyperparameters: { ...job.hyperparameters, steps: 5 },
      resources: { ...job.resources, gpu: { vendor: "nvidia", model: "rtx3090", count: 1 } },
      maxPricePerBlock: 20,
    };
    const viaMtls = await leaseAndFollow(stack, ctx, account.address, gpuJob, certificate);

    const { validationLossBefore, validationLossAfter } = viaJwt.result.metrics;
    return {
      title: "Fine-tuning on Akash (local stand-in)",
      method:
        `tiny-stories-char fine-tuned on 6000 characters of verse.txt, ${STEPS} steps, batch 8, lr 0.003, seed 1, ` +
        `by trainer/local run by the Akash stand-in for a real lease (dev key, signed txs, JWT, manifest, logs through ` +
        `HEXS's provider proxy, provider-proxy/, as the Akash stand-in serves it); then a 5-step job on the mTLS-only provider with a published client certificate; ` +
        `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}, one run.`,
      metrics: [
        { name: "accept bid → first log line (JWT)", value: Math.round(viaJwt.firstLineMs), unit: "ms" },
        { name: "accept bid → first log line (mTLS, client certificate via the proxy)", value: Math.round(viaMtls.firstLineMs), unit: "ms" },
        { name: "fine-tune wall time (started → result, upload included)", value: Math.round(viaJwt.trainMs / 100) / 10, unit: "s" },
        { name: "result line → lease closed (closing transaction confirmed)", value: Math.round(viaJwt.closeMs), unit: "ms" },
        { name: "validation loss before (base)", value: validationLossBefore, unit: "nats/token" },
        { name: "validation loss after", value: validationLossAfter, unit: "nats/token", target: "< before", met: validationLossAfter < validationLossBefore },
      ],
    };
  } finally {
    await stack.stop();
  }
}
