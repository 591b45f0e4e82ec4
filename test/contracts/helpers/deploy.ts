// Deploys HEXS through the real Ignition module and creates agents, for the contract tests and the
// gas benchmark. Contracts are typed with the generated ABIs (src/lib/contracts/abis.ts), so the
// tests type-check on a clean checkout, before anything is compiled.
import type { NetworkConnection } from "hardhat/types/network";
import {
  getContract,
  parseEventLogs,
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import HexsModule from "../../../ignition/modules/Hexs.ts";
import { agentAbi, agentDAOAbi, agentLedgerAbi, hexsFactoryAbi } from "../../../src/lib/contracts/abis.ts";
import { agentParams, type CreateAgentInput } from "./params.ts";

export type Connection = NetworkConnection<"generic">;
/** A wallet client with its chain and account set, as Hardhat's are. */
export type TestWallet = WalletClient<Transport, Chain, Account>;

/** Returns `value`, or throws when a lookup that must succeed found nothing. */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing ${what}`);
  return value;
}

/** Typed handles on the contracts at `address`, sending from the deployer unless told otherwise. */
export function contractsAt(publicClient: PublicClient, wallet: TestWallet) {
  const client = { public: publicClient, wallet };
  return {
    factory: (address: Address) => getContract({ address, abi: hexsFactoryAbi, client }),
    agent: (address: Address) => getContract({ address, abi: agentAbi, client }),
    ledger: (address: Address) => getContract({ address, abi: agentLedgerAbi, client }),
    dao: (address: Address) => getContract({ address, abi: agentDAOAbi, client }),
  };
}

export async function deployHexs(connection: Connection) {
  const { viem, ignition } = connection;
  const deployed = await ignition.deploy(HexsModule);
  const factoryAddress = (deployed.factory as { address: Address }).address;
  const publicClient = (await viem.getPublicClient()) as PublicClient;
  const [deployer, ...others] = (await viem.getWalletClients()) as TestWallet[];
  const at = contractsAt(publicClient, must(deployer, "deployer wallet"));
  return {
    factory: at.factory(factoryAddress),
    deployer: must(deployer, "deployer wallet"),
    others,
    publicClient,
    viem,
    connection,
    at,
  };
}

export type Hexs = Awaited<ReturnType<typeof deployHexs>>;

/** Creates an agent from `owner` and returns its three contracts (typed) and the receipt. */
export async function createAgent(
  hexs: Hexs,
  owner: Address,
  label: string,
  overrides: Partial<CreateAgentInput> = {},
) {
  const params = agentParams(owner, label, overrides);
  const hash = await hexs.factory.write.createAgent([params], { account: owner });
  const receipt = await hexs.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: hexsFactoryAbi, logs: receipt.logs, eventName: "AgentCreated" });
  const { agent, ledger, dao } = must(created, "AgentCreated event").args;
  return {
    params,
    receipt,
    agent: hexs.at.agent(agent),
    ledger: hexs.at.ledger(ledger),
    dao: hexs.at.dao(dao),
  };
}
