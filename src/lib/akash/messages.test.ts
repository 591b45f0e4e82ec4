import { describe, expect, it } from "vitest";
import { MsgCreateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { MsgCreateLease } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { TxBody } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { prepareDeployment } from "./deployment.ts";
import { akashRegistry, closeDeploymentMsg, createDeploymentMsg, createLeaseMsg, TYPE_URL } from "./messages.ts";
import type { TrainingJob } from "./job.ts";

const job: TrainingJob = {
  image: "ghcr.io/hexs/trainer-tiny:0.1.0",
  base: { kind: "ipfs", weightsCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi" },
  datasetCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
  hyperparameters: { steps: 40, learningRate: 0.003, seed: 1, batchSize: 8 },
  output: { kuboApiUrl: "http://127.0.0.1:5001", gatewayUrl: "http://127.0.0.1:5001" },
  resources: { cpu: 1, memory: "2Gi", storage: "4Gi" },
  maxPricePerBlock: 10,
  denom: "uact",
};
const owner = "akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy";

describe("Akash messages through protobuf", () => {
  it("MsgCreateDeployment survives a round trip through a TxBody with its groups, hash and deposit", async () => {
    const prepared = await prepareDeployment(job);
    const registry = akashRegistry();
    const msg = createDeploymentMsg({
      owner,
      dseq: 1234n,
      groupSpecs: prepared.groupSpecs,
      hash: prepared.hash,
      deposit: { denom: "uact", amount: "5000000" },
    });
    const body = TxBody.decode(registry.encodeTxBody({ messages: [msg], memo: "hexs" }));
    expect(body.messages[0]!.typeUrl).toBe("/akash.deployment.v1beta4.MsgCreateDeployment");
    const decoded = MsgCreateDeployment.decode(body.messages[0]!.value);
    expect(decoded.id?.owner).toBe(owner);
    expect(String(decoded.id?.dseq)).toBe("1234");
    expect(decoded.hash).toEqual(prepared.hash);
    expect(decoded.deposit).toEqual({ amount: { denom: "uact", amount: "5000000" }, sources: [1] });
    expect(MsgCreateDeployment.toJSON(decoded)).toEqual(MsgCreateDeployment.toJSON(msg.value as never));
  });

  it("MsgCreateLease names the exact bid, MsgCloseDeployment the deployment", () => {
    const registry = akashRegistry();
    const bid = { owner, dseq: "77", gseq: 1, oseq: 1, provider: "akash1provider", bseq: 0 };
    const lease = registry.decode({
      typeUrl: TYPE_URL.createLease,
      value: registry.encode(createLeaseMsg(bid)),
    }) as ReturnType<typeof MsgCreateLease.decode>;
    expect({ ...lease.bidId, dseq: String(lease.bidId?.dseq) }).toEqual(bid);
    const close = registry.decode({
      typeUrl: TYPE_URL.closeDeployment,
      value: registry.encode(closeDeploymentMsg({ owner, dseq: "77" })),
    });
    expect(JSON.parse(JSON.stringify(close))).toMatchObject({ id: { owner } });
  });
});
