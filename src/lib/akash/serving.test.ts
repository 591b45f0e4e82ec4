import { describe, expect, it } from "vitest";
import { loadServing, saveServing, type ServingRecord } from "./serving.ts";

/** A Storage in memory, as localStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

const record: ServingRecord = {
  agent: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  chainId: 31337,
  operatorKey: `0x${"ab".repeat(32)}`,
  deployment: {
    akashChainId: "akash-standin-1",
    owner: "akash1owner",
    dseq: "42",
    manifestJson: "[]",
    created: false,
    timeoutHeight: "92",
    manifestSent: false,
    closed: false,
  },
};

describe("the record of the deployment serving an agent", () => {
  it("is kept per chain and agent, whatever the address's case", () => {
    const storage = memoryStorage();
    saveServing(record, storage);
    expect(loadServing(31337, record.agent.toLowerCase(), storage)).toEqual(record);
    expect(loadServing(1, record.agent, storage)).toBeUndefined();
    expect(loadServing(31337, "0x0000000000000000000000000000000000000001", storage)).toBeUndefined();
  });

  it("reads a damaged record as none, and refuses to write one without a valid operator key", () => {
    const storage = memoryStorage();
    storage.setItem(`hexs:akash:serving:31337:${record.agent.toLowerCase()}`, "{not json");
    expect(loadServing(31337, record.agent, storage)).toBeUndefined();
    expect(() => saveServing({ ...record, operatorKey: "0x1234" }, storage)).toThrow();
  });
});
