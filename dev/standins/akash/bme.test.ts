// The stand-in refuses what Akash mainnet refuses since its BME upgrade, and mints ACT as x/bme
// does — through the dApp's own client code (messages, tx client, queries).
import { MsgMintACT } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actForAkt, readBalances, readMinDepositUact, readMintTerms } from "../../../src/lib/akash/act.ts";
import { depositProblem, prepareDeployment } from "../../../src/lib/akash/deployment.ts";
import { AkashTxError } from "../../../src/lib/akash/errors.ts";
import { createDeployment, mintAct } from "../../../src/lib/akash/lease.ts";
import { TYPE_URL } from "../../../src/lib/akash/messages.ts";
import { providerAddress } from "./providers.ts";
import { startAkashStandIn } from "./server.ts";
import { demoJob, devKeyContext, startAkashTestStack } from "./testing.ts";

let stack: Awaited<ReturnType<typeof startAkashTestStack>>;
beforeAll(async () => {
  // Nothing minted yet: the dev key holds AKT only.
  stack = await startAkashTestStack({ devKeyActFunds: 0n });
});
afterAll(() => stack?.stop());

const job = () =>
  demoJob({
    weightsCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
    datasetCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
    ipfsUrl: stack.ipfs.url,
  });

async function refusal(run: Promise<unknown>): Promise<AkashTxError> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AkashTxError);
  return error as AkashTxError;
}

describe("the Akash stand-in after the BME upgrade", () => {
  it("reads AKT's price and the mint's terms as the node answers them", async () => {
    expect(await readMintTerms(stack.standIn.nodeUrl)).toEqual({
      aktPriceMicroUsd: 1_250_000n,
      mintSpreadBps: 25n,
      minMintUact: 10_000_000n,
    });
  });

  it("reads x/deployment's least deposit in uact as the node answers it, and refuses less than that before signing", async () => {
    expect(await readMinDepositUact(stack.standIn.nodeUrl)).toBe(stack.standIn.chain.minDeposit);
    const strict = await startAkashStandIn({ minDeposit: 10_000_000n });
    try {
      const minimum = await readMinDepositUact(strict.nodeUrl);
      expect(minimum).toBe(10_000_000n);
      expect(depositProblem({ denom: "uact", amount: 5_000_000n }, minimum)).toBe(
        "the deposit is below the chain's minimum of 10 ACT",
      );
      expect(depositProblem({ denom: "uact", amount: 10_000_000n }, minimum)).toBeUndefined();
    } finally {
      await strict.stop();
    }
  });

  it("mints ACT from AKT at the next block, less the spread; below the minimum the AKT comes back", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const terms = await readMintTerms(ctx.restUrl);
    const before = await readBalances(ctx.restUrl, account.address);
    await mintAct(ctx, 20_000_000n);
    await expect
      .poll(async () => (await readBalances(ctx.restUrl, account.address)).uact)
      .toBe(actForAkt(20_000_000n, terms));
    expect(actForAkt(20_000_000n, terms)).toBe(24_937_500n); // 25 ACT at $1.25, less 0.25 %

    // 5 AKT mint 6.25 ACT, under the 10 ACT minimum: x/bme cancels the mint and refunds.
    const middle = await readBalances(ctx.restUrl, account.address);
    await mintAct(ctx, 5_000_000n);
    await expect.poll(() => stack.standIn.chain.pendingMints.length).toBe(0);
    const after = await readBalances(ctx.restUrl, account.address);
    expect(after.uact).toBe(middle.uact);
    expect(middle.uakt - after.uakt).toBeLessThan(50_000n); // only the fee
    expect(before.uakt - after.uakt).toBeGreaterThan(20_000_000n);
  });

  it("refuses a mint to another account, an AKT deposit, a price in AKT, and sending ACT", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const elsewhere = await refusal(
      ctx.tx.signAndBroadcast("Minting ACT", [
        {
          typeUrl: TYPE_URL.mintAct,
          value: MsgMintACT.fromPartial({
            owner: account.address,
            to: providerAddress("provider-a"),
            coinsToBurn: { denom: "uakt", amount: "20000000" },
          }),
        },
      ]),
    );
    expect(elsewhere.details).toContain("owner and to addresses must match: unauthorized");

    const prepared = await prepareDeployment(job());
    const akt = await refusal(createDeployment(ctx, prepared, { denom: "uakt", amount: "5000000" }));
    expect(akt.details).toContain("failed to execute message; message index: 0: Deposit invalid");
    const low = await refusal(createDeployment(ctx, prepared, { denom: "uact", amount: "400000" }));
    expect(low.details).toContain("Deposit too low - 400000 < 500000uact: Deposit invalid");
    // The dApp no longer writes a price in AKT (deployment.ts postBmeProblems); a hand-made one:
    const inAkt = {
      ...prepared,
      groupSpecs: prepared.groupSpecs.map((group) => ({
        ...group,
        resources: group.resources.map((unit) => ({ ...unit, price: { denom: "uakt", amount: unit.price!.amount } })),
      })),
    };
    const price = await refusal(createDeployment(ctx, inAkt, { denom: "uact", amount: "5000000" }));
    expect(price.details).toContain("unsupported denomination uakt: invalid price");

    const send = (denom: string) =>
      ctx.tx.signAndBroadcast("Sending", [
        {
          typeUrl: TYPE_URL.send,
          value: {
            fromAddress: account.address,
            toAddress: providerAddress("provider-a"),
            amount: [{ denom, amount: "1" }],
          },
        },
      ]);
    const act = await refusal(send("uact"));
    expect(act.details).toContain("uact transfers are currently disabled");
    await expect(send("uakt")).resolves.toMatchObject({ height: expect.any(Number) });
  });
});
