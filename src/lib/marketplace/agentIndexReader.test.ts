import type { Config } from "@wagmi/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgentCard, readAgentCount, streamAgentCards } from "../chain/readAgentSummaries.ts";
import { AgentIndexReader, FRESH_FOR_MS, type AgentIndexView } from "./agentIndexReader.ts";

const config = {} as Config;
type Handlers = Parameters<typeof streamAgentCards>[2];

const agent = (index: number, calls = 0n) => ({ index, name: `agent ${index}`, calls }) as unknown as AgentCard;

/** A registry read the test drives chunk by chunk. */
function controlledStream() {
  const reads: { handlers: Handlers; finish: () => void; fail: (error: unknown) => void }[] = [];
  const stream: typeof streamAgentCards = (_config, _chainId, handlers) =>
    new Promise<void>((resolve, reject) => reads.push({ handlers, finish: resolve, fail: reject }));
  return { stream, reads };
}

/** Runs a first read to its end: two agents registered, both read in one chunk. */
async function readTwoAgents(reader: AgentIndexReader, reads: ReturnType<typeof controlledStream>["reads"]) {
  const done = reader.ensureFresh(config, 31337);
  const read = reads.at(-1)!;
  read.handlers.onTotal(2);
  read.handlers.onChunk([agent(0), agent(1)], 2);
  read.finish();
  await done;
}

describe("AgentIndexReader", () => {
  let views: (AgentIndexView | undefined)[];
  /** What the factory's agentCount answers. */
  let registered: number;
  const count: typeof readAgentCount = async () => registered;
  beforeEach(() => {
    views = [];
    registered = 2;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());
  const latest = () => views.at(-1);

  it("publishes each chunk as it arrives and is complete once every agent is in", async () => {
    const { stream, reads } = controlledStream();
    const reader = new AgentIndexReader((view) => views.push(view), stream, count);
    const done = reader.ensureFresh(config, 31337);
    const read = reads[0]!;
    read.handlers.onTotal(3);
    expect(latest()).toMatchObject({ agents: [], registered: 3, read: 0, complete: false });
    read.handlers.onChunk([agent(0), agent(1)], 2);
    expect(latest()).toMatchObject({ read: 2, complete: false });
    expect(latest()?.agents.map((a) => a.index)).toEqual([0, 1]);
    read.handlers.onChunk([agent(2)], 3);
    read.finish();
    await done;
    expect(latest()).toMatchObject({ read: 3, complete: true, error: undefined });
  });

  it("answers from the finished read for a while, then re-reads in place without emptying the list", async () => {
    const { stream, reads } = controlledStream();
    const reader = new AgentIndexReader((view) => views.push(view), stream, count);
    await readTwoAgents(reader, reads);

    await reader.ensureFresh(config, 31337);
    expect(reads).toHaveLength(1);

    vi.advanceTimersByTime(FRESH_FOR_MS);
    const second = reader.ensureFresh(config, 31337);
    expect(reads).toHaveLength(2);
    // A third agent was registered meanwhile; the two known ones stay listed during the read.
    reads[1]!.handlers.onTotal(3);
    expect(latest()).toMatchObject({ registered: 3, read: 0, complete: false });
    expect(latest()?.agents).toHaveLength(2);
    reads[1]!.handlers.onChunk([agent(0, 7n), agent(1), agent(2)], 3);
    reads[1]!.finish();
    await second;
    expect(latest()).toMatchObject({ registered: 3, complete: true });
    expect(latest()?.agents[0]?.calls).toBe(7n);
  });

  it("keeps what it read when a chunk fails, shows the error, and reads again on the next visit", async () => {
    const { stream, reads } = controlledStream();
    const reader = new AgentIndexReader((view) => views.push(view), stream, count);
    const first = reader.ensureFresh(config, 31337);
    reads[0]!.handlers.onTotal(2);
    reads[0]!.handlers.onChunk([agent(0)], 1);
    reads[0]!.fail(new Error("RPC unreachable"));
    await first;
    expect(latest()).toMatchObject({ read: 1, complete: false, error: new Error("RPC unreachable") });
    expect(latest()?.agents).toHaveLength(1);

    void reader.ensureFresh(config, 31337);
    expect(reads).toHaveLength(2);
  });

  it("forgets another chain's agents and ignores a read that a newer one replaced", async () => {
    const { stream, reads } = controlledStream();
    const reader = new AgentIndexReader((view) => views.push(view), stream, count);
    void reader.ensureFresh(config, 31337);
    reads[0]!.handlers.onTotal(1);
    reads[0]!.handlers.onChunk([agent(0)], 1);

    void reader.ensureFresh(config, 8453);
    expect(latest()).toBeUndefined();
    expect(reads[0]!.handlers.isCurrent()).toBe(false);
    expect(reads[1]!.handlers.isCurrent()).toBe(true);
  });

  it("within the fresh window reads only the count, and reads again when the registry grew", async () => {
    const { stream, reads } = controlledStream();
    const reader = new AgentIndexReader((view) => views.push(view), stream, count);
    await readTwoAgents(reader, reads);

    await reader.ensureFresh(config, 31337);
    expect(reads).toHaveLength(1);

    // The user publishes an agent and comes back at once: it must be searchable.
    registered = 3;
    void reader.ensureFresh(config, 31337);
    await vi.waitFor(() => expect(reads).toHaveLength(2));
    expect(latest()?.agents).toHaveLength(2);
  });
});
