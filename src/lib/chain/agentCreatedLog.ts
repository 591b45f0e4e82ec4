// The factory's `AgentCreated` logs, read raw and decoded by hand: the marketplace reads one per
// agent (10 000 and more), and a general ABI decoder takes about 0.1 ms a log — five times the
// time the node needs to send them. The layout is fixed by the event's signature, and
// agentCreatedLog.test.ts checks this decoder against viem's on real encodings.
import { getAddress, hexToString, toEventSelector, type Address, type Hex } from "viem";

export const AGENT_CREATED_TOPIC = toEventSelector(
  "AgentCreated(address,address,address,address,address,string,string,string)",
);

/** The fields of a raw log this module reads (as eth_getLogs returns them). */
export interface RawLog {
  topics: Hex[];
  data: Hex;
}

export interface AgentCreatedFields {
  agent: Address;
  owner: Address;
  parent: Address;
  ledger: Address;
  dao: Address;
  modelCardCid: string;
  name: string;
  baseModel: string;
}

/** `AgentCreated(agent indexed, ledger, dao, owner indexed, parent indexed, modelCardCid, name, baseModel)`. */
export function decodeAgentCreated(log: RawLog): AgentCreatedFields {
  const [topic0, agent, owner, parent] = log.topics;
  if (topic0 !== AGENT_CREATED_TOPIC || !agent || !owner || !parent) throw new Error("not an AgentCreated log");
  const data = log.data.slice(2);
  const word = (index: number) => data.slice(index * 64, index * 64 + 64);
  // Only the agent's address is checksummed (pages show and compare it as the chain writes it);
  // the others stay lower-case: a checksum costs a keccak per address, 10 000 and more.
  const address = (hex: string) => `0x${hex.slice(-40).toLowerCase()}` as Address;
  const string = (offsetWord: number) => {
    const start = parseInt(word(offsetWord), 16) * 2;
    const length = parseInt(data.slice(start, start + 64), 16) * 2;
    return hexToString(`0x${data.slice(start + 64, start + 64 + length)}`);
  };
  return {
    agent: getAddress(address(agent)),
    owner: address(owner),
    parent: address(parent),
    ledger: address(word(0)),
    dao: address(word(1)),
    modelCardCid: string(2),
    name: string(3),
    baseModel: string(4),
  };
}
