// Bench section `akash`: the local fine-tune of the demo model (wall time, loss before/after on
// the dataset's held-out tail) through the real lease flow on the Akash stand-in, and the time
// from "accept bid" to the first log line the provider streams.
import { availableParallelism, cpus } from "node:os";
import { prepareDeployment } from "../../src/lib/akash/deployment.ts";
import { acceptBid, closeDeployment, createDeployment, waitForBids } from "../../src/lib/akash/lease.ts";
import { parseProgress, type ResultEvent } from "../../src/lib/akash/progress.ts";
import { followLogs, sendManifest } from "../../src/lib/akash/provider.ts";
import { providerJwt } from "../../src/lib/akash/providerAuth.ts";
import { demoJob, devKeyContext, pinDataset, pinDemoBase, proxiedEndpoint, startAkashTestStack } from "../standins/akash/testing.ts";
import type { BenchSection } from "./report.ts";

const STEPS = 40;

export async function run(): Promise<BenchSection> {
  const stack = await startAkashTestStack();
  try {
    const ipfs = stack.ipfs.url;
    const job = demoJob({ weightsCid: await pinDemoBase(ipfs), datasetCid: await pinDataset(ipfs), ipfsUrl: ipfs, steps: STEPS });
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const prepared = await prepareDeployment(job);
    const { dseq } = await createDeployment(ctx, prepared, { denom: "uakt", amount: "5000000" });
    const [bid] = await waitForBids(ctx, account.address, dseq, { settleMs: 0, intervalMs: 100 });
    if (!bid) throw new Error("no bid from the stand-in");
    const jwt = providerJwt(account);
    await jwt.token();

    const accepted = performance.now();
    await acceptBid(ctx, bid.ref);
    await sendManifest(proxiedEndpoint(stack.standIn, bid), jwt, dseq, prepared.manifestJson);
    let firstLine: number | undefined;
    let started: number | undefined;
    let finished: number | undefined;
    let result: ResultEvent | undefined;
    const stream = await followLogs(proxiedEndpoint(stack.standIn, bid), jwt, bid.ref, (line) => {
      firstLine ??= performance.now();
      const event = parseProgress(line.message);
      if (event?.event === "started") started = performance.now();
      if (event?.event === "result") {
        finished = performance.now();
        result = event;
      }
    });
    await stream.closed;
    await closeDeployment(ctx, dseq);
    if (!result || firstLine === undefined || started === undefined || finished === undefined) throw new Error("the job produced no result");
    const { validationLossBefore, validationLossAfter } = result.metrics;
    return {
      title: "Fine-tuning on Akash (local stand-in)",
      method:
        `tiny-stories-char fine-tuned on 6000 characters of verse.txt, ${STEPS} steps, batch 8, lr 0.003, seed 1, ` +
        `by trainer/local run by the Akash stand-in for a real lease (dev key, signed txs, JWT, manifest); ` +
        `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}, one run.`,
      metrics: [
        { name: "accept bid → first log line", value: Math.round(firstLine - accepted), unit: "ms" },
        { name: "fine-tune wall time (started → result, upload included)", value: Math.round((finished - started) / 100) / 10, unit: "s" },
        { name: "validation loss before (base)", value: validationLossBefore, unit: "nats/token" },
        { name: "validation loss after", value: validationLossAfter, unit: "nats/token", target: "< before", met: validationLossAfter < validationLossBefore },
      ],
    };
  } finally {
    await stack.stop();
  }
}
