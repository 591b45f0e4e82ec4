// Table-driven access control: every state-changing function, called by every wrong role,
// reverts with its custom error (and the error's arguments).
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, type Address } from "viem";
import { keyIdOf, marketplaceFixture, PRICE, secretHashOf, usage, type Marketplace } from "./helpers/fixture.ts";
import { testCid, trainingRecord } from "./helpers/params.ts";

const connection = await network.create();
const { networkHelpers, viem } = connection;

async function fixture() {
  const m = await marketplaceFixture(connection);
  await m.paid.agent.write.buyCredits([10n], { account: m.carol, value: 10n * PRICE });
  await m.paid.agent.write.createApiKey([secretHashOf("carol"), 10n], { account: m.carol });
  return m;
}

type Role = "owner" | "member" | "stranger" | "operator" | "dao";
interface Row {
  name: string;
  allowed: Role[];
  call: (m: Marketplace, caller: Address) => Promise<unknown>;
  contract: (m: Marketplace) => { abi: readonly unknown[] } & object;
  error: string;
  args?: (caller: Address, m: Marketplace) => readonly unknown[];
}

const agent = (m: Marketplace) => m.paid.agent;
const carolKey = (m: Marketplace) => keyIdOf(m.carol, "carol");
const scoreParams = { engagementK: 1n, popularityK: 1, ratingPrior: 1, contributionBps: 1, fullUserSpend: 1n };
const ownerOrDao = (power: number) => (caller: Address) => [getAddress(caller), power] as const;

const AGENT_ROWS: Row[] = [
  {
    name: "setPrice",
    allowed: ["owner", "dao"],
    call: (m, c) => m.paid.agent.write.setPrice([1n], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(1),
  },
  {
    name: "setMode",
    allowed: ["owner", "dao"],
    call: (m, c) => m.paid.agent.write.setMode([0], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(2),
  },
  {
    name: "setEndpoint",
    allowed: ["owner", "dao"],
    call: (m, c) => m.paid.agent.write.setEndpoint(["x"], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(4),
  },
  {
    name: "setOperator",
    allowed: ["owner", "dao"],
    call: (m, c) => m.paid.agent.write.setOperator([c], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(8),
  },
  {
    name: "setRoyalty",
    allowed: ["dao"],
    call: (m, c) => m.paid.agent.write.setRoyalty([0n], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(16),
  },
  {
    name: "setRoyaltyFloor",
    allowed: ["owner", "dao"],
    call: (m, c) => m.paid.agent.write.setRoyaltyFloor([0n], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(32),
  },
  {
    name: "setReceiptSigner",
    allowed: ["owner", "operator"],
    call: (m, c) => m.paid.agent.write.setReceiptSigner([c], { account: c }),
    contract: agent,
    error: "AgentNotOperator",
    args: (c) => [getAddress(c)],
  },
  {
    name: "setDaoPowers",
    allowed: ["dao"],
    call: (m, c) => m.paid.agent.write.setDaoPowers([0], { account: c }),
    contract: agent,
    error: "AgentNotDao",
    args: (c) => [getAddress(c)],
  },
  {
    name: "setScoreParams",
    allowed: ["dao"],
    call: (m, c) =>
      m.paid.agent.write.setScoreParams([scoreParams], {
        account: c,
      }),
    contract: agent,
    error: "AgentNotDao",
    args: (c) => [getAddress(c)],
  },
  {
    name: "publishVersion",
    allowed: ["owner", "dao"],
    call: (m, c) => m.paid.agent.write.publishVersion([testCid("v"), trainingRecord(c, "v", 0)], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(0),
  },
  {
    name: "recordMetric",
    allowed: ["owner", "dao"],
    call: (m, c) =>
      m.paid.agent.write.recordMetric([testCid("set"), testCid("weights"), testCid("result")], { account: c }),
    contract: agent,
    error: "AgentNotOwnerOrDao",
    args: ownerOrDao(0),
  },
  {
    name: "listForSale",
    allowed: ["owner"],
    call: (m, c) => m.paid.agent.write.listForSale([1n], { account: c }),
    contract: agent,
    error: "AgentNotOwner",
    args: (c) => [getAddress(c)],
  },
  {
    name: "cancelSale",
    allowed: ["owner"],
    call: (m, c) => m.paid.agent.write.cancelSale({ account: c }),
    contract: agent,
    error: "AgentNotOwner",
    args: (c) => [getAddress(c)],
  },
  {
    name: "settle",
    allowed: ["owner", "operator"],
    call: (m, c) => m.paid.agent.write.settle([[usage(carolKey(m), 1n)]], { account: c }),
    contract: agent,
    error: "AgentNotOperator",
    args: (c) => [getAddress(c)],
  },
  {
    name: "revokeApiKey",
    allowed: ["member"],
    call: (m, c) => m.paid.agent.write.revokeApiKey([carolKey(m)], { account: c }),
    contract: agent,
    error: "AgentNotKeyHolder",
    args: (c, m) => [getAddress(c), carolKey(m)],
  },
  {
    name: "initialize (again)",
    allowed: [],
    call: (m, c) =>
      m.paid.agent.write.initialize(
        [c, { mode: 0, pricePerCredit: 0n, royaltyBps: 0, operator: c, endpoint: "" }, 0n],
        { account: c },
      ),
    contract: agent,
    error: "InvalidInitialization",
  },
];

const ledger = (m: Marketplace) => m.paid.ledger;
const onlyAgent = (c: Address) => [getAddress(c)] as const;
const LEDGER_ROWS: Row[] = [
  {
    name: "ledger.recordAccess",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.recordAccess([c, true], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.recordUsage",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.recordUsage([1n, 1n, 1n, 1n], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.recordRating",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.recordRating([c, 5, 10n ** 15n], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.dropRating",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.dropRating([c], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.syncSpendVotes",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.syncSpendVotes([c, 10n ** 18n], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.recordVersion",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.recordVersion([testCid("v"), trainingRecord(c, "v", 0), true], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.recordMetric",
    allowed: [],
    call: (m, c) =>
      m.paid.ledger.write.recordMetric([c, testCid("set"), testCid("weights"), testCid("result")], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.moveShares",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.moveShares([m.alice, c], { account: c }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.setScoreParams",
    allowed: [],
    call: (m, c) =>
      m.paid.ledger.write.setScoreParams([scoreParams], {
        account: c,
      }),
    contract: ledger,
    error: "AgentLedgerUnauthorized",
    args: onlyAgent,
  },
  {
    name: "ledger.initialize (again)",
    allowed: [],
    call: (m, c) => m.paid.ledger.write.initialize([c, c, "x", trainingRecord(c, "x", 0)], { account: c }),
    contract: ledger,
    error: "InvalidInitialization",
  },
];

const dao = (m: Marketplace) => m.paid.dao;
const DAO_ROWS: Row[] = [
  {
    name: "dao.setVotingPeriod",
    allowed: ["dao"],
    call: (m, c) => m.paid.dao.write.setVotingPeriod([10], { account: c }),
    contract: dao,
    error: "GovernorOnlyExecutor",
    args: (c) => [getAddress(c)],
  },
  {
    name: "dao.setVotingDelay",
    allowed: ["dao"],
    call: (m, c) => m.paid.dao.write.setVotingDelay([10], { account: c }),
    contract: dao,
    error: "GovernorOnlyExecutor",
    args: (c) => [getAddress(c)],
  },
  {
    name: "dao.cancelProposalsBeforeSale",
    allowed: [],
    call: (m, c) => m.paid.dao.write.cancelProposalsBeforeSale({ account: c }),
    contract: dao,
    error: "AgentDAONotAgent",
    args: (c) => [getAddress(c)],
  },
  {
    name: "dao.updateQuorumNumerator",
    allowed: ["dao"],
    call: (m, c) => m.paid.dao.write.updateQuorumNumerator([1n], { account: c }),
    contract: dao,
    error: "GovernorOnlyExecutor",
    args: (c) => [getAddress(c)],
  },
  {
    name: "dao.relay",
    allowed: ["dao"],
    call: (m, c) => m.paid.dao.write.relay([c, 0n, "0x"], { account: c }),
    contract: dao,
    error: "GovernorOnlyExecutor",
    args: (c) => [getAddress(c)],
  },
  {
    name: "dao.initialize (again)",
    allowed: [],
    call: (m, c) => m.paid.dao.write.initialize([1, 3600, 1n], { account: c }),
    contract: dao,
    error: "InvalidInitialization",
  },
];

const factory = (m: Marketplace) => m.factory;
const FACTORY_ROWS: Row[] = [
  {
    name: "factory.setProtocolFee",
    allowed: [],
    call: (m, c) => m.factory.write.setProtocolFee([c, 1n], { account: c }),
    contract: factory,
    error: "OwnableUnauthorizedAccount",
    args: (c) => [getAddress(c)],
  },
  {
    name: "factory.transferOwnership",
    allowed: [],
    call: (m, c) => m.factory.write.transferOwnership([c], { account: c }),
    contract: factory,
    error: "OwnableUnauthorizedAccount",
    args: (c) => [getAddress(c)],
  },
  {
    name: "factory.recordOwnerChange",
    allowed: [],
    call: (m, c) => m.factory.write.recordOwnerChange([0n, m.alice, c], { account: c }),
    contract: factory,
    error: "HexsFactoryNotAgent",
    args: (c) => [getAddress(c)],
  },
];

/** The wrong callers for a row: every role of the table that is not allowed (the DAO is a contract, so it is left to the DAO journeys). */
function wrongCallers(m: Marketplace, row: Row): Address[] {
  const roles: Record<Exclude<Role, "dao" | "operator">, Address> = {
    owner: m.alice,
    member: m.carol,
    stranger: m.frank,
  };
  return (Object.keys(roles) as (keyof typeof roles)[])
    .filter((role) => !row.allowed.includes(role) && !(role === "owner" && row.allowed.includes("operator")))
    .map((role) => roles[role]);
}

describe("access control", () => {
  for (const row of [...AGENT_ROWS, ...LEDGER_ROWS, ...DAO_ROWS, ...FACTORY_ROWS]) {
    it(`${row.name} reverts with ${row.error} for every wrong role`, async () => {
      const m = await networkHelpers.loadFixture(fixture);
      for (const caller of wrongCallers(m, row)) {
        const target = row.contract(m) as never;
        if (row.args) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            row.call(m, caller) as never,
            target,
            row.error as never,
            row.args(caller, m) as never,
          );
        } else {
          await viem.assertions.revertWithCustomError(row.call(m, caller) as never, target, row.error as never);
        }
      }
    });
  }
});
