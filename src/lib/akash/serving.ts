// The Akash deployment serving an agent's inference gateway, kept in localStorage per agent so a
// closed tab loses track of nothing paid: its operator key (made in this browser; the SDL hands it
// to the provider, so it is a key of its own, never the owner's) and, from before the deployment's
// transaction is signed, its dseq, then its lease and the endpoint the lease serves at.
import { z } from "zod";
import { leaseRefSchema } from "./inflight.ts";

const servingSchema = z.object({
  agent: z.string(),
  /** The EVM chain the agent is on. */
  chainId: z.number(),
  operatorKey: z.string().regex(/^0x[0-9a-f]{64}$/i),
  deployment: z
    .object({
      akashChainId: z.string(),
      owner: z.string(),
      dseq: z.string(),
      manifestJson: z.string(),
      /** The deposit escrowed, in uact (absent from records kept before it was). */
      deposit: z.string().optional(),
      /** Set once the chain holds the deployment (its creation was confirmed). */
      created: z.boolean().default(false),
      /** MsgCreateDeployment's timeout height, and its hash once the wallet signed it. */
      timeoutHeight: z.string(),
      txHash: z.string().optional(),
      lease: leaseRefSchema.optional(),
      hostUri: z.string().optional(),
      manifestSent: z.boolean().default(false),
      /** The OpenAI base URL the lease serves at, from the provider's lease status. */
      endpoint: z.string().optional(),
      closed: z.boolean().default(false),
    })
    .optional(),
});

export type ServingRecord = z.infer<typeof servingSchema>;
export type ServingDeployment = NonNullable<ServingRecord["deployment"]>;

const key = (chainId: number, agent: string) => `hexs:akash:serving:${chainId}:${agent.toLowerCase()}`;

export function loadServing(
  chainId: number,
  agent: string,
  storage: Storage = localStorage,
): ServingRecord | undefined {
  const text = storage.getItem(key(chainId, agent));
  if (!text) return undefined;
  try {
    const parsed = servingSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveServing(record: ServingRecord, storage: Storage = localStorage): void {
  storage.setItem(key(record.chainId, record.agent), JSON.stringify(servingSchema.parse(record)));
}
