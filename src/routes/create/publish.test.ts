import { zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { checkCard } from "./card.ts";
import type { DraftData } from "#lib/state/createDraft.svelte.ts";
import { createAgentArgs, priceWei, royaltyBps } from "./publish.ts";

const owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const draft: DraftData = {
  base: { kind: "hub", id: "hexs-demo/tiny-stories-char", revision: "a".repeat(40) },
  name: "Story Sprout",
  license: "mit",
  language: "en, pt-BR",
  tags: "stories, tiny",
  datasets: "",
  pipelineTag: "text-generation",
  readme: "# Story Sprout",
  weights: { cid: "bafy-weights", files: [{ path: "model.onnx", size: 10 }] },
  mode: "paid",
  price: "0.002",
  royaltyPercent: "12.5",
  salt: `0x${"1".repeat(64)}`,
};

describe("the publish form", () => {
  it("builds a valid card from the form, with the base model as a fine-tune", () => {
    const { card, issues } = checkCard(draft);
    expect(issues).toEqual({});
    expect(card?.metadata).toMatchObject({
      model_name: "Story Sprout",
      language: ["en", "pt-BR"],
      tags: ["stories", "tiny"],
      base_model: "hexs-demo/tiny-stories-char",
      base_model_relation: "finetune",
    });
    expect(card?.metadata.datasets).toBeUndefined();
  });

  it("says each problem beside its form field, in the form's words, quoting the wrong entry of a list", () => {
    const { card, issues } = checkCard({ ...draft, license: "not a license!", language: "en, english" });
    expect(card).toBeUndefined();
    expect(issues.license).toBe("expected a license id such as apache-2.0, mit or other");
    expect(issues.language).toBe('"english": expected an ISO 639 code such as en or pt-BR');
  });

  it("reads prices and royalties as the contract takes them", () => {
    expect(priceWei("0.002")).toBe(2_000_000_000_000_000n);
    expect(priceWei("0")).toBeUndefined();
    expect(priceWei("abc")).toBeUndefined();
    expect(royaltyBps("12.5")).toBe(1250);
    expect(royaltyBps("50")).toBe(5000);
    expect(royaltyBps("50.01")).toBeUndefined();
    expect(royaltyBps("")).toBeUndefined();
  });

  it("fills CreateAgentParams: pinned base, paid price, no royalty without a parent", () => {
    const args = createAgentArgs(draft, owner, "bafy-card", 31337);
    expect(args.metadata).toEqual({
      name: "Story Sprout",
      modelCardCid: "bafy-card",
      baseModel: "hexs-demo/tiny-stories-char",
      baseModelRevision: "a".repeat(40),
      initialWeightsCid: "bafy-weights",
    });
    expect(args.parent).toBe(zeroAddress);
    expect(args.settings).toMatchObject({
      mode: 1,
      pricePerCredit: 2_000_000_000_000_000n,
      royaltyBps: 0,
      operator: owner,
    });
    expect(args.firstVersion.contributor).toBe(owner);
    expect(args.firstVersion).toMatchObject({ datasetCid: "", leaseProvider: "", leaseDseq: 0n, leaseCost: 0n });

    // Weights a fine-tune on Akash produced: the first version records that run.
    const trained = createAgentArgs(
      {
        ...draft,
        training: {
          dseq: "42",
          datasetCid: "bafk-data",
          metricsCid: "bafk-metrics",
          leaseProvider: "akash1provider",
          leaseCost: "1234",
        },
      },
      owner,
      "bafy-card",
      31337,
    );
    expect(trained.firstVersion).toEqual({
      contributor: owner,
      baseVersion: 0,
      datasetCid: "bafk-data",
      metricsCid: "bafk-metrics",
      leaseProvider: "akash1provider",
      leaseDseq: 42n,
      leaseCost: 1234n,
    });

    const parent = "0x0000000000000000000000000000000000000abc";
    const derived = createAgentArgs(
      {
        ...draft,
        mode: "free",
        base: { kind: "agent", agent: parent, name: "P", baseModel: "org/base", baseModelRevision: "r1" },
      },
      owner,
      "bafy-card",
      31337,
    );
    expect(derived.parent).toBe(parent);
    expect(derived.settings).toMatchObject({ mode: 0, pricePerCredit: 0n, royaltyBps: 1250 });
    expect(derived.metadata).toMatchObject({ baseModel: "org/base", baseModelRevision: "r1" });
  });
});
