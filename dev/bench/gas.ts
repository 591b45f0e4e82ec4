// Gas benchmark section: what each user-facing contract call costs, measured on an in-process
// Hardhat chain (EDR) deployed through the real Ignition module. `npm run bench:gas` runs it alone.
import hre, { network } from "hardhat";
import { encodeFunctionData, keccak256, parseEventLogs, toHex, type Address, type Hex } from "viem";
import { createAgent, deployHexs, must, type Hexs } from "../../test/contracts/helpers/deploy.ts";
import { AccessMode, trainingRecord, testCid } from "../../test/contracts/helpers/params.ts";
import type { BenchMetric, BenchSection } from "./report.ts";

const TARGETS = { createAgent: 750_000n, settlePerEntry: 20_000n, castVote: 90_000n };
const PRICE = 10n ** 12n;

export async function run(): Promise<BenchSection> {
  await hre.tasks.getTask("build").run({ quiet: true });
  const connection = await network.create();
  const hexs = await deployHexs(connection);
  const { networkHelpers } = connection;
  const gas = new Map<string, bigint>();
  const account = (i: number) => must(hexs.others[i], `account ${i}`).account.address;
  const [A, creatorB, buyer, m0] = [1, 2, 3, 4].map(account) as [Address, Address, Address, Address];
  const measure = async (name: string, hash: Promise<Hex>) => {
    const receipt = await hexs.publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`${name} reverted`);
    gas.set(name, receipt.gasUsed);
    return receipt;
  };

  // The first agent of a deployment also pays for the registry's first writes; measure it apart.
  const first = await createAgent(hexs, creatorB, "warm-up");
  gas.set("createAgent (first agent of the deployment)", first.receipt.gasUsed);
  const paid = await createAgent(hexs, A, "paid");
  gas.set("createAgent", paid.receipt.gasUsed);
  const free = await createAgent(hexs, A, "free", {
    settings: { mode: AccessMode.Free, pricePerCredit: 0n, royaltyBps: 0, operator: A, endpoint: "" },
  });

  await measure("join", free.agent.write.join({ account: m0 }));
  await measure("buyCredits (first purchase, new member)", paid.agent.write.buyCredits([100n], { account: m0, value: 100n * PRICE }));
  await measure("buyCredits (repeat purchase)", paid.agent.write.buyCredits([100n], { account: m0, value: 100n * PRICE }));
  await measure("createApiKey", paid.agent.write.createApiKey([keyHash(m0, 0), 1_000_000n], { account: m0 }));

  // Settlement, worst case: every line is a different user's key. Keys were settled once before,
  // as they are in steady state (the gateway settles periodically).
  const keys = await prepareUsers(hexs, paid.agent.address, 100);
  await paid.agent.write.settle([keys.map((k) => ({ keyHash: k, units: 1n }))], { account: A });
  for (const n of [1, 10, 100]) {
    await measure(`settle (${n} entries)`, paid.agent.write.settle([keys.slice(0, n).map((k) => ({ keyHash: k, units: 2n }))], { account: A }));
  }
  const perEntry = (gas.get("settle (100 entries)")! - gas.get("settle (10 entries)")!) / 90n;

  await measure("rate", paid.agent.write.rate([5], { account: m0 }));
  await measure("publishVersion", paid.agent.write.publishVersion([testCid("paid/v1"), trainingRecord(A, "paid/v1", 0)], { account: A }));
  await measure("withdraw", paid.agent.write.withdraw({ account: A }));

  const proposal = await measure(
    "propose",
    paid.dao.write.propose([[paid.agent.address], [0n], [encodeFunctionData({ abi: paid.agent.abi, functionName: "setPrice", args: [2n * PRICE] })], "Double the price"], { account: m0 }),
  );
  const [created] = parseEventLogs({ abi: paid.dao.abi, logs: proposal.logs, eventName: "ProposalCreated" });
  const id = must(created, "ProposalCreated").args.proposalId;
  await networkHelpers.time.increase(2);
  await measure("castVote (first vote)", paid.dao.write.castVote([id, 1], { account: A }));
  await measure("castVote", paid.dao.write.castVote([id, 1], { account: m0 }));
  await networkHelpers.time.increase(3601);
  await measure("execute", paid.dao.write.execute([id], { account: m0 }));

  await paid.agent.write.listForSale([10n ** 18n], { account: A });
  await measure("buyAgent", paid.agent.write.buyAgent({ account: buyer, value: 10n ** 18n }));

  const metrics: BenchMetric[] = [...gas.entries()].map(([name, value]) => target(name, value));
  metrics.push({
    name: "settle marginal gas per entry",
    value: Number(perEntry),
    unit: "gas",
    target: `≤ ${TARGETS.settlePerEntry}`,
    met: perEntry <= TARGETS.settlePerEntry,
  });
  await connection.close();
  return {
    title: "Contract gas",
    method:
      "Gas used per transaction on Hardhat's in-process EDR chain (prague, solc 0.8.30, optimizer 200 runs), " +
      "contracts deployed by ignition/modules/Hexs.ts. createAgent: a creator's first agent in a factory that " +
      "already holds agents (the deployment's very first agent also initialises the registry arrays). " +
      "settle: every entry a different user's key, keys settled once before; marginal = (100 entries − 10 entries) / 90.",
    metrics,
  };
}

function target(name: string, value: bigint): BenchMetric {
  const metric: BenchMetric = { name, value: Number(value), unit: "gas" };
  if (name === "createAgent") Object.assign(metric, { target: `≤ ${TARGETS.createAgent}`, met: value <= TARGETS.createAgent });
  if (name.startsWith("castVote")) Object.assign(metric, { target: `≤ ${TARGETS.castVote}`, met: value <= TARGETS.castVote });
  return metric;
}

function keyHash(user: Address, n: number): Hex {
  return keccak256(toHex(`${user}/${n}`));
}

/** `count` funded users (impersonated accounts) who each buy credits and create one key. */
async function prepareUsers(hexs: Hexs, agentAddress: Address, count: number): Promise<Hex[]> {
  const { connection } = hexs;
  const agent = hexs.at.agent(agentAddress);
  const keys: Hex[] = [];
  for (let i = 0; i < count; i++) {
    const user = `0x${(0xbe0000 + i).toString(16).padStart(40, "0")}` as Address;
    await connection.networkHelpers.impersonateAccount(user);
    await connection.networkHelpers.setBalance(user, 10n ** 20n);
    await agent.write.buyCredits([1_000n], { account: user, value: 1_000n * PRICE });
    const hash = keyHash(user, 0);
    await agent.write.createApiKey([hash, 1_000_000n], { account: user });
    keys.push(hash);
  }
  return keys;
}
