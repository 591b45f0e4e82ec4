// From a job description to what the chain and the provider need: the SDL validated by the
// Akash SDK, the group specs of MsgCreateDeployment, the manifest and its version hash.
import {
  generateManifest,
  generateManifestVersion,
  manifestToSortedJSON,
  validateSDL,
} from "@akashnetwork/chain-sdk/web";
import { formatMicro, MIN_DEPOSIT_UACT } from "./act.ts";
import { AkashSdlInvalidError } from "./errors.ts";
import { buildSdl, type Sdl, type TrainingJob } from "./job.ts";
import { toYaml } from "./yaml.ts";

/** The network whose SDL rules apply ("mainnet" also fits a local stand-in). */
export type AkashNetworkId = "mainnet" | "sandbox" | "testnet";

type ManifestResult = Extract<ReturnType<typeof generateManifest>, { ok: true }>["value"];
export type ManifestGroups = ManifestResult["groups"];
export type GroupSpecs = ManifestResult["groupSpecs"];

export interface PreparedDeployment {
  sdl: Sdl;
  /** The SDL as YAML, for the user to read (and to paste into Akash Console). */
  yaml: string;
  /** MsgCreateDeployment's groups. */
  groupSpecs: GroupSpecs;
  /** What the provider receives (PUT /deployment/{dseq}/manifest), as sorted JSON. */
  manifestJson: string;
  /** The manifest version: the deployment's `hash`, checked by the provider against the manifest. */
  hash: Uint8Array;
}

/**
 * Builds and validates the SDL of `job` with the Akash SDK.
 * @throws AkashSdlInvalidError listing every problem the SDK found
 */
export async function prepareDeployment(
  job: TrainingJob,
  network: AkashNetworkId = "mainnet",
): Promise<PreparedDeployment> {
  return prepareSdl(buildSdl(job), network);
}

/**
 * Validates any SDL HEXS writes (a training job's, an inference gateway's) with the Akash SDK and
 * the post-BME rules, and derives what the chain and the provider need from it.
 * @throws AkashSdlInvalidError listing every problem found
 */
export async function prepareSdl(sdl: Sdl, network: AkashNetworkId = "mainnet"): Promise<PreparedDeployment> {
  let result: ReturnType<typeof generateManifest>;
  try {
    const problems = [...(validateSDL(sdl as never, network) ?? []).map(describeProblem), ...postBmeProblems(sdl)];
    if (problems.length) throw new AkashSdlInvalidError(problems);
    result = generateManifest(sdl as never, network);
  } catch (error) {
    // The SDK also throws plain errors, e.g. "Invalid size string: lots".
    if (error instanceof AkashSdlInvalidError) throw error;
    throw new AkashSdlInvalidError([error instanceof Error ? error.message : String(error)]);
  }
  if (!result.ok) throw new AkashSdlInvalidError(result.value.map(describeProblem));
  const { groups, groupSpecs } = result.value;
  return {
    sdl,
    yaml: toYaml(sdl),
    groupSpecs,
    manifestJson: manifestToSortedJSON(groups),
    hash: await generateManifestVersion(groups),
  };
}

/**
 * What Akash refuses since its BME upgrade and the SDK's SDL validator does not check: a price in
 * anything but uact (x/deployment/handler/server.go CreateDeployment: ErrInvalidPrice,
 * "unsupported denomination").
 */
export function postBmeProblems(sdl: { profiles?: { placement?: Record<string, unknown> } }): string[] {
  const problems: string[] = [];
  for (const [name, placement] of Object.entries(sdl.profiles?.placement ?? {})) {
    const pricing = (placement as { pricing?: Record<string, { denom?: string }> }).pricing ?? {};
    for (const [service, price] of Object.entries(pricing))
      if (price.denom !== "uact")
        problems.push(
          `placement ${name}: the price of ${service} is in ${price.denom}; Akash takes prices in uact only since its BME upgrade`,
        );
  }
  return problems;
}

/** Why the chain would refuse `deposit` for a new deployment, if it would (CreateDeployment's checks). */
export function depositProblem(
  deposit: { denom: string; amount: bigint },
  minimumUact: bigint = MIN_DEPOSIT_UACT,
): string | undefined {
  if (deposit.denom !== "uact")
    return `a deposit in ${deposit.denom}: new deployments are funded in ACT (uact) only since Akash's BME upgrade`;
  if (deposit.amount < minimumUact)
    return `the deposit is below the chain's minimum of ${formatMicro(minimumUact, "ACT")}`;
  return undefined;
}

/** The manifest version of a manifest as JSON (what a provider computes from what it received). */
export async function manifestVersionOf(manifestJson: string): Promise<Uint8Array> {
  return generateManifestVersion(JSON.parse(manifestJson) as ManifestGroups);
}

function describeProblem(problem: unknown): string {
  if (typeof problem === "object" && problem !== null) {
    const { instancePath, message } = problem as { instancePath?: string; message?: string };
    if (message) return instancePath ? `${instancePath}: ${message}` : message;
  }
  return String(problem);
}
