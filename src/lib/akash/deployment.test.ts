import { describe, expect, it } from "vitest";
import { generateManifest, generateManifestVersion, yaml } from "@akashnetwork/chain-sdk/web";
import { manifestVersionOf, prepareDeployment } from "./deployment.ts";
import { AkashSdlInvalidError } from "./errors.ts";
import { JOB_ENV, type TrainingJob } from "./job.ts";

const job: TrainingJob = {
  image: "ghcr.io/hexs/trainer-gpu:0.1.0",
  base: { kind: "huggingface", id: "Qwen/Qwen2.5-0.5B", revision: "main" },
  datasetCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
  hyperparameters: { steps: 500, learningRate: 2e-5, seed: 7, batchSize: 16 },
  output: { kuboApiUrl: "https://ipfs.example.org:5001", gatewayUrl: "https://ipfs.example.org" },
  resources: { cpu: 8, memory: "32Gi", storage: "100Gi", gpu: { vendor: "nvidia", model: "a100", count: 1 } },
  maxPricePerBlock: 10_000,
  denom: "uakt",
};

describe("prepareDeployment", () => {
  it("builds an SDL the SDK validates, with the job's environment and GPU request", async () => {
    const prepared = await prepareDeployment(job);
    const env = prepared.sdl.services.trainer.env;
    expect(env).toContain(`${JOB_ENV.baseHfId}=Qwen/Qwen2.5-0.5B`);
    expect(env).toContain(`${JOB_ENV.datasetCid}=${job.datasetCid}`);
    expect(env.some((line) => line.startsWith(JOB_ENV.outputKuboToken))).toBe(false);
    const withToken = await prepareDeployment({ ...job, output: { ...job.output, kuboApiToken: "job-only" } });
    expect(withToken.sdl.services.trainer.env).toContain(`${JOB_ENV.outputKuboToken}=job-only`);
    const unit = prepared.groupSpecs[0]!.resources[0]!;
    expect(unit.resource?.gpu?.attributes).toEqual([{ key: "vendor/nvidia/model/a100", value: "true" }]);
    expect(unit.price).toEqual({ denom: "uakt", amount: "10000" });
    expect(prepared.hash).toHaveLength(32);
  });

  it("writes YAML that the SDK parses back into the same deployment", async () => {
    const prepared = await prepareDeployment(job);
    const parsed = yaml(Object.assign([prepared.yaml], { raw: [prepared.yaml] }) as TemplateStringsArray);
    expect(parsed).toEqual(prepared.sdl);
    const manifest = generateManifest(parsed as never, "mainnet");
    if (!manifest.ok) throw new Error("the parsed YAML does not validate");
    expect(await generateManifestVersion(manifest.value.groups)).toEqual(prepared.hash);
  });

  it("hashes the manifest JSON a provider receives to the deployment's version", async () => {
    const prepared = await prepareDeployment(job);
    expect(await manifestVersionOf(prepared.manifestJson)).toEqual(prepared.hash);
    expect(await manifestVersionOf(prepared.manifestJson.replace("HEXS_STEPS=500", "HEXS_STEPS=501"))).not.toEqual(
      prepared.hash,
    );
  });

  it("names what is wrong in an invalid job", async () => {
    const error = await prepareDeployment({ ...job, resources: { ...job.resources, memory: "lots" } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AkashSdlInvalidError);
    expect((error as AkashSdlInvalidError).problems.join()).toMatch(/lots/);
  });
});
