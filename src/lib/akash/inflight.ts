// The in-flight deployment, kept in localStorage so a closed tab loses track of nothing paid:
// on return the page offers to follow the job again or to close the deployment. It is written
// before MsgCreateDeployment is even signed (with `sending`), since the deposit may be escrowed
// from the moment the transaction leaves the browser.
import { z } from "zod";

export const leaseRefSchema = z.object({
  owner: z.string(),
  dseq: z.string(),
  gseq: z.number(),
  oseq: z.number(),
  provider: z.string(),
  bseq: z.number(),
});

const inflightSchema = z.object({
  chainId: z.string(),
  owner: z.string(),
  dseq: z.string(),
  deposit: z.string(),
  manifestJson: z.string(),
  datasetCid: z.string(),
  base: z.object({ label: z.string(), agent: z.string().optional(), weightsCid: z.string().optional() }),
  createdAt: z.number(),
  /** Hours the owner expected the job to run when creating it: the cost of a run beside each bid. */
  expectedHours: z.number().positive().optional(),
  /**
   * Present until the chain is known to hold the deployment: MsgCreateDeployment's timeout height
   * and, once the wallet signed it, its hash. src/lib/akash/reconcile.ts settles such a record.
   */
  sending: z.object({ timeoutHeight: z.string(), txHash: z.string().optional() }).optional(),
  lease: leaseRefSchema.optional(),
  hostUri: z.string().optional(),
  manifestSent: z.boolean().default(false),
  /** How the owner authenticated to the provider: a reload resumes the same way. */
  providerAuth: z.enum(["jwt", "mtls"]).optional(),
  /** The job's result line, kept until the version is published or dismissed. */
  result: z.object({ weightsCid: z.string(), metricsCid: z.string(), metrics: z.record(z.unknown()) }).optional(),
  failure: z.string().optional(),
  /** Set once the deployment is closed: what the lease cost, in uact. */
  closed: z.object({ cost: z.string(), height: z.number() }).optional(),
});

export type InflightDeployment = z.infer<typeof inflightSchema>;

const KEY = "hexs:akash:inflight";

export function loadInflight(storage: Storage = localStorage): InflightDeployment | undefined {
  const text = storage.getItem(KEY);
  if (!text) return undefined;
  try {
    const parsed = inflightSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveInflight(value: InflightDeployment, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(inflightSchema.parse(value)));
}

export function clearInflight(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}
