import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { generateManifest, generateManifestVersion, validateSDL, yaml } from "@akashnetwork/chain-sdk/web";
import { depositProblem, manifestVersionOf, postBmeProblems, prepareDeployment } from "./deployment.ts";
import { AkashSdlInvalidError } from "./errors.ts";
import { JOB_ENV, SERVICE_NAME, type TrainingJob } from "./job.ts";

const job: TrainingJob = {
  image: "ghcr.io/hexs/trainer-gpu:0.1.0",
  base: { kind: "huggingface", id: "Qwen/Qwen2.5-0.5B", revision: "main" },
  datasetCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
  hyperparameters: { steps: 500, learningRate: 2e-5, seed: 7, batchSize: 16 },
  output: { kuboApiUrl: "https://ipfs.example.org:5001", gatewayUrl: "https://ipfs.example.org" },
  resources: { cpu: 8, memory: "32Gi", storage: "100Gi", gpu: { vendor: "nvidia", model: "a100", count: 1 } },
  maxPricePerBlock: 2_000,
  denom: "uact",
};

describe("prepareDeployment", () => {
  it("builds an SDL the SDK validates, with the job's environment and GPU request", async () => {
    const prepared = await prepareDeployment(job);
    const env = prepared.sdl.services[SERVICE_NAME]!.env;
    expect(env).toContain(`${JOB_ENV.baseHfId}=Qwen/Qwen2.5-0.5B`);
    expect(env).toContain(`${JOB_ENV.datasetCid}=${job.datasetCid}`);
    expect(env.some((line) => line.startsWith(JOB_ENV.outputKuboToken))).toBe(false);
    const withToken = await prepareDeployment({ ...job, output: { ...job.output, kuboApiToken: "job-only" } });
    expect(withToken.sdl.services[SERVICE_NAME]!.env).toContain(`${JOB_ENV.outputKuboToken}=job-only`);
    const unit = prepared.groupSpecs[0]!.resources[0]!;
    expect(unit.resource?.gpu?.attributes).toEqual([{ key: "vendor/nvidia/model/a100", value: "true" }]);
    expect(unit.price).toEqual({ denom: "uact", amount: "2000" });
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

  it("refuses what Akash refuses since its BME upgrade, which the SDK's validator lets through", async () => {
    const error = await prepareDeployment({ ...job, denom: "uakt" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AkashSdlInvalidError);
    expect((error as AkashSdlInvalidError).problems).toEqual([
      "placement akash: the price of trainer is in uakt; Akash takes prices in uact only since its BME upgrade",
    ]);
    expect(depositProblem({ denom: "uakt", amount: 5_000_000n })).toMatch(/funded in ACT \(uact\) only/);
    expect(depositProblem({ denom: "uact", amount: 400_000n })).toBe(
      "the deposit is below the chain's minimum of 0.5 ACT",
    );
    expect(depositProblem({ denom: "uact", amount: 500_000n })).toBeUndefined();
  });

  // Every SDL the repository ships for people to deploy by hand.
  it.each(["trainer/gpu/sdl.template.yaml", "provider-proxy/deploy.sdl.yaml", "gateway/deploy.sdl.yaml"])(
    "passes %s, filled in, through the SDK and the post-BME rules",
    async (path) => {
      const template = await readFile(new URL(`../../../${path}`, import.meta.url), "utf8");
      const filled = template.replace(/\$\{(\w+)\}/g, (_, name: string) =>
        name.endsWith("CID") ? job.datasetCid : name === "HOSTNAME" ? "proxy.example.com" : "x",
      );
      const sdl = yaml(Object.assign([filled], { raw: [filled] }) as TemplateStringsArray) as Parameters<
        typeof postBmeProblems
      >[0];
      expect(validateSDL(sdl as never, "mainnet") ?? []).toEqual([]);
      expect(postBmeProblems(sdl)).toEqual([]);
    },
  );
});
