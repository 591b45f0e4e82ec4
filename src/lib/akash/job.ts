// A fine-tuning job, described in HEXS's terms, and its translation into an Akash SDL. The
// environment variable names are the trainer's job contract (trainer/README.md).

/** Where the job starts from: a Hugging Face model, or the weights of an agent on the marketplace. */
export type JobBase =
  { kind: "huggingface"; id: string; revision: string } | { kind: "ipfs"; weightsCid: string; label?: string };

export interface JobHyperparameters {
  steps: number;
  learningRate: number;
  seed: number;
  batchSize: number;
}

export interface JobResources {
  /** CPU cores (fractions allowed, e.g. 0.5). */
  cpu: number;
  /** Memory and ephemeral storage in Kubernetes notation ("4Gi", "512Mi"). */
  memory: string;
  storage: string;
  /**
   * GPUs per instance (omit for a CPU-only job): the vendor, and the model (the lower-case name
   * providers advertise: "a100", "h100"), memory and interface when the job needs a particular card.
   */
  gpu?: { vendor: "nvidia" | "amd"; model?: string; ram?: string; interface?: string; count: number };
}

export interface TrainingJob {
  /** Container image implementing the trainer contract. */
  image: string;
  base: JobBase;
  datasetCid: string;
  hyperparameters: JobHyperparameters;
  /**
   * Kubo RPC endpoint the job uploads its result CAR to (with a bearer token where the node is
   * guarded by API.Authorizations: the provider can read it, so scope it to dag/import), and the
   * gateway it reads inputs from.
   */
  output: { kuboApiUrl: string; kuboApiToken?: string; gatewayUrl: string };
  resources: JobResources;
  /** Highest price per block accepted from a provider, in `denom`'s smallest unit. */
  maxPricePerBlock: number;
  /** Only providers whose attributes one of these auditors signed (x/audit) may bid. */
  signedBy?: string[];
  denom: string;
  /** Extra environment, e.g. HF_ENDPOINT or an upload token. Never put secrets you would not give the provider. */
  env?: Record<string, string>;
}

/** The trainer contract's environment variables (see trainer/README.md). */
export const JOB_ENV = {
  baseHfId: "HEXS_BASE_HF_ID",
  baseHfRevision: "HEXS_BASE_HF_REVISION",
  baseWeightsCid: "HEXS_BASE_WEIGHTS_CID",
  datasetCid: "HEXS_DATASET_CID",
  steps: "HEXS_STEPS",
  learningRate: "HEXS_LEARNING_RATE",
  seed: "HEXS_SEED",
  batchSize: "HEXS_BATCH_SIZE",
  outputKuboApi: "HEXS_OUTPUT_KUBO_API",
  outputKuboToken: "HEXS_OUTPUT_KUBO_TOKEN",
  ipfsGateway: "HEXS_IPFS_GATEWAY",
} as const;

/** The one service, profile and placement name in the SDL. */
export const SERVICE_NAME = "trainer";

export function jobEnvironment(job: TrainingJob): Record<string, string> {
  const env: Record<string, string> = {};
  if (job.base.kind === "huggingface") {
    env[JOB_ENV.baseHfId] = job.base.id;
    env[JOB_ENV.baseHfRevision] = job.base.revision;
  } else {
    env[JOB_ENV.baseWeightsCid] = job.base.weightsCid;
  }
  env[JOB_ENV.datasetCid] = job.datasetCid;
  env[JOB_ENV.steps] = String(job.hyperparameters.steps);
  env[JOB_ENV.learningRate] = String(job.hyperparameters.learningRate);
  env[JOB_ENV.seed] = String(job.hyperparameters.seed);
  env[JOB_ENV.batchSize] = String(job.hyperparameters.batchSize);
  env[JOB_ENV.outputKuboApi] = job.output.kuboApiUrl;
  if (job.output.kuboApiToken) env[JOB_ENV.outputKuboToken] = job.output.kuboApiToken;
  env[JOB_ENV.ipfsGateway] = job.output.gatewayUrl;
  return { ...env, ...job.env };
}

/** A service's `gpu` resource in an SDL: none, or `count` of a vendor's cards (any model, or the one named). */
export function sdlGpuResource(gpu: JobResources["gpu"]) {
  return gpu
    ? {
        units: gpu.count,
        attributes: {
          vendor: {
            [gpu.vendor]: gpu.model
              ? [
                  {
                    model: gpu.model,
                    ...(gpu.ram ? { ram: gpu.ram } : {}),
                    ...(gpu.interface ? { interface: gpu.interface } : {}),
                  },
                ]
              : null,
          },
        },
      }
    : { units: 0 };
}

/**
 * A port a service exposes (SDL `expose`): to the provider's ingress (`global`), or only to other
 * services of the deployment (`service`), which reach it by the service's name.
 */
export type SdlExpose = {
  port: number;
  as: number;
  to: ({ global: boolean } | { service: string })[];
};

/** One service of an SDL: what runs, what it is given, what it may cost per block. */
export interface SdlService {
  name: string;
  image: string;
  env: Record<string, string>;
  expose?: SdlExpose[];
  resources: JobResources;
  denom: string;
  maxPricePerBlock: number;
}

/**
 * The SDL (version 2.0, as the Akash SDK reads it) of a deployment whose services all run on one
 * provider (one placement, one lease), as a plain object: each service's compute profile shares
 * its name, and `signedBy` restricts the providers that may bid.
 */
export function sdlForServices(services: readonly SdlService[], signedBy?: readonly string[]) {
  const byName = <T>(value: (service: SdlService) => T) =>
    Object.fromEntries(services.map((service) => [service.name, value(service)]));
  return {
    version: "2.0",
    services: byName((service) => ({
      image: service.image,
      env: Object.entries(service.env).map(([key, value]) => `${key}=${value}`),
      ...(service.expose ? { expose: service.expose } : {}),
    })),
    profiles: {
      compute: byName((service) => ({
        resources: {
          cpu: { units: service.resources.cpu },
          memory: { size: service.resources.memory },
          storage: [{ size: service.resources.storage }],
          gpu: sdlGpuResource(service.resources.gpu),
        },
      })),
      placement: {
        akash: {
          ...(signedBy?.length ? { signedBy: { anyOf: [...signedBy] } } : {}),
          pricing: byName((service) => ({ denom: service.denom, amount: service.maxPricePerBlock })),
        },
      },
    },
    deployment: byName((service) => ({ akash: { profile: service.name, count: 1 } })),
  };
}

/** The training job's SDL. */
export function buildSdl(job: TrainingJob) {
  return sdlForServices(
    [
      {
        name: SERVICE_NAME,
        image: job.image,
        env: jobEnvironment(job),
        resources: job.resources,
        denom: job.denom,
        maxPricePerBlock: job.maxPricePerBlock,
      },
    ],
    job.signedBy,
  );
}

/** An SDL HEXS writes (a training job's, an inference gateway's). */
export type Sdl = ReturnType<typeof sdlForServices>;
