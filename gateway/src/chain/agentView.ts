// What the gateway knows of one agent and its keys, from the chain: no database of its own. A
// key is read on first use (its record and its holder's account in one JSON-RPC batch, since
// the key names its holder) and kept; the agent's events, polled every few seconds, refresh
// what they touch (revocations, refund requests, purchases, settlements, price, mode, versions).
import { parseEventLogs, type Address, type Hex, type PublicClient } from "viem";
import { agentAbi } from "../../../src/lib/contracts/abis.ts";

export interface AgentState {
  mode: "free" | "paid";
  pricePerCredit: bigint;
  weightsCid: string;
  operator: Address;
  receiptSigner: Address;
  name: string;
  refundNoticeSeconds: bigint;
  settlementGraceSeconds: bigint;
}

export interface KeyView {
  keyId: Hex;
  user: Address;
  cap: bigint;
  spent: bigint;
  /** The last settlement line's number on chain. */
  sequence: bigint;
  revokedAt: number;
  credits: bigint;
  refundAvailableAt: number;
}

/** What changed on chain, as the watcher reports it. */
export interface AgentChanges {
  versionPublished?: string;
}

export class AgentView {
  readonly agent: Address;
  readonly #client: PublicClient;
  #state: AgentState | undefined;
  readonly #keys = new Map<Hex, KeyView>();
  #lastBlock: bigint | undefined;

  constructor(client: PublicClient, agent: Address) {
    this.#client = client;
    this.agent = agent;
  }

  get state(): AgentState {
    if (!this.#state) throw new Error("the agent has not been read yet");
    return this.#state;
  }

  /** Reads the agent's settings; done at start and when its events say they changed. */
  async refreshState(): Promise<AgentState> {
    const at = { address: this.agent, abi: agentAbi } as const;
    const [summary, operator, receiptSigner, refundNoticeSeconds, settlementGraceSeconds] = await Promise.all([
      this.#client.readContract({ ...at, functionName: "summary" }),
      this.#client.readContract({ ...at, functionName: "operator" }),
      this.#client.readContract({ ...at, functionName: "receiptSigner" }),
      this.#client.readContract({ ...at, functionName: "REFUND_NOTICE_PERIOD" }),
      this.#client.readContract({ ...at, functionName: "SETTLEMENT_GRACE" }),
    ]);
    this.#state = {
      mode: summary.mode === 0 ? "free" : "paid",
      pricePerCredit: summary.pricePerCredit,
      weightsCid: summary.weightsCid,
      operator,
      receiptSigner,
      name: summary.name,
      refundNoticeSeconds,
      settlementGraceSeconds,
    };
    return this.#state;
  }

  /** The key, from the cache or, once, from the chain; undefined when the agent has no such key. */
  async key(keyId: Hex, holder: Address): Promise<KeyView | undefined> {
    const cached = this.#keys.get(keyId);
    if (cached) return cached;
    return this.#readKey(keyId, holder);
  }

  /** Applies a settlement the gateway itself just saw confirmed, before the watcher reads it. */
  applyCharged(keyId: Hex, charged: bigint, sequence: bigint): void {
    const key = this.#keys.get(keyId);
    if (!key) return;
    key.spent += charged;
    if (this.#state?.mode === "paid") key.credits -= charged;
    key.sequence = sequence > key.sequence ? sequence : key.sequence;
  }

  /** The last settlement number the chain holds for `keyId`. */
  async chainSequence(keyId: Hex): Promise<bigint> {
    const key = await this.#client.readContract({
      address: this.agent,
      abi: agentAbi,
      functionName: "apiKey",
      args: [keyId],
    });
    return key.sequence;
  }

  /**
   * Reads the agent's events since the last call and refreshes what they touch. The first call
   * only notes the current block.
   */
  async poll(): Promise<AgentChanges> {
    const latest = await this.#client.getBlockNumber();
    if (this.#lastBlock === undefined || latest <= this.#lastBlock) {
      this.#lastBlock ??= latest;
      return {};
    }
    const logs = await this.#client.getLogs({ address: this.agent, fromBlock: this.#lastBlock + 1n, toBlock: latest });
    this.#lastBlock = latest;
    const events = parseEventLogs({ abi: agentAbi, logs });
    const users = new Set<string>();
    const keys = new Set<Hex>();
    let settings = false;
    let versionPublished: string | undefined;
    for (const event of events) {
      switch (event.eventName) {
        case "ApiKeyRevoked":
        case "UsageSettled":
          keys.add(event.args.keyId);
          break;
        case "CreditRefundRequested":
        case "CreditsRefunded":
          users.add(event.args.user.toLowerCase());
          break;
        case "CreditsBought":
          users.add(event.args.buyer.toLowerCase());
          break;
        case "PriceChanged":
        case "ModeChanged":
        case "OperatorChanged":
        case "ReceiptSignerChanged":
          settings = true;
          break;
        case "VersionPublished":
          settings = true;
          versionPublished = event.args.weightsCid;
          break;
      }
    }
    if (settings) await this.refreshState();
    const stale = [...this.#keys.values()].filter((k) => keys.has(k.keyId) || users.has(k.user.toLowerCase()));
    await Promise.all(stale.map((k) => this.#readKey(k.keyId, k.user)));
    return versionPublished ? { versionPublished } : {};
  }

  async #readKey(keyId: Hex, holder: Address): Promise<KeyView | undefined> {
    const at = { address: this.agent, abi: agentAbi } as const;
    // One round trip: the transport batches these two calls into one JSON-RPC request.
    const [key, account] = await Promise.all([
      this.#client.readContract({ ...at, functionName: "apiKey", args: [keyId] }),
      this.#client.readContract({ ...at, functionName: "account", args: [holder] }),
    ]);
    if (key.user.toLowerCase() !== holder.toLowerCase()) {
      this.#keys.delete(keyId);
      return undefined;
    }
    const view: KeyView = {
      keyId,
      user: key.user,
      cap: key.cap,
      spent: key.spent,
      sequence: key.sequence,
      revokedAt: key.revokedAt,
      credits: BigInt(account.credits),
      refundAvailableAt: account.refundAvailableAt,
    };
    this.#keys.set(keyId, view);
    return view;
  }
}
