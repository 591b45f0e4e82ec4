import { getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address, Hex } from "viem";
import { agentAbi, hexsFactoryAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/** One of a user's API keys, with the agent it calls. */
export interface KeyOfUser {
  agent: Address;
  agentName: string;
  /** The agent's inference endpoint ("" when it has none). */
  endpoint: string;
  keyId: Hex;
  cap: bigint;
  /** Credits settled on the key so far. */
  spent: bigint;
  revoked: boolean;
}

/**
 * Every API key `user` created, across all agents, from the `ApiKeyCreated` events it is named
 * in. Only agents the factory registered count: any contract could emit an event of that shape.
 */
export async function readKeysOf(config: Config, chainId: number, user: Address): Promise<KeyOfUser[]> {
  const { address: factory, fromBlock } = factoryDeployment(chainId);
  const created = await getContractEvents(config, {
    chainId,
    abi: agentAbi,
    eventName: "ApiKeyCreated",
    args: { user },
    fromBlock,
  });
  const agents = [...new Set(created.map((log) => log.address.toLowerCase() as Address))];
  const registered = await Promise.all(
    agents.map((agent) =>
      readContract(config, { chainId, address: factory, abi: hexsFactoryAbi, functionName: "isAgent", args: [agent] }),
    ),
  );
  const known = agents.filter((_, i) => registered[i]);
  if (known.length === 0) return [];
  const [summaries, endpoints] = await Promise.all([
    readContract(config, {
      chainId,
      address: factory,
      abi: hexsFactoryAbi,
      functionName: "summariesOf",
      args: [known],
    }),
    Promise.all(
      known.map((agent) => readContract(config, { chainId, address: agent, abi: agentAbi, functionName: "endpoint" })),
    ),
  ]);
  const agentInfo = new Map(
    known.map((agent, i) => [
      agent,
      { name: summaries[i]!.name, endpoint: endpoints[i]!, address: summaries[i]!.agent },
    ]),
  );
  const keys = created.filter((log) => agentInfo.has(log.address.toLowerCase() as Address));
  const records = await Promise.all(
    keys.map((log) =>
      readContract(config, {
        chainId,
        address: log.address,
        abi: agentAbi,
        functionName: "apiKey",
        args: [log.args.keyId!],
      }),
    ),
  );
  return keys.map((log, i) => {
    const info = agentInfo.get(log.address.toLowerCase() as Address)!;
    const record = records[i]!;
    return {
      agent: info.address,
      agentName: info.name,
      endpoint: info.endpoint,
      keyId: log.args.keyId!,
      cap: record.cap,
      spent: record.spent,
      revoked: record.revokedAt !== 0,
    };
  });
}
