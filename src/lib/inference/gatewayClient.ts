// What the dApp asks an agent's inference gateway, from the browser: the model it serves, and —
// with a key the user holds — the key's pending usage and its latest receipts. The endpoint is
// whatever the agent's owner or DAO wrote on chain, so it is parsed before it is called and
// every answer is checked for shape.
import { z } from "zod";
import { HexsError } from "../errors.ts";
import type { Receipt } from "./receipts.ts";

/** How long the page waits for a gateway before saying it did not answer. */
const TIMEOUT_MS = 10_000;

/** The agent's endpoint is not an http(s) URL, or the gateway refused or failed a request. */
export class GatewayRequestError extends HexsError {
  override name = "GatewayRequestError";
  /** The HTTP status, when the gateway answered. */
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; details?: string; cause?: unknown } = {}) {
    super(message, options);
    this.status = options.status;
  }
}

/** The endpoint as a base URL without a trailing slash, or undefined when it is not http(s). */
export function parseEndpoint(endpoint: string): string | undefined {
  try {
    const url = new URL(endpoint.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.username || url.password) return undefined;
    return url.toString().replace(/\/+$/, "");
  } catch {
    return undefined;
  }
}

const errorBody = z.object({ error: z.object({ message: z.string(), code: z.string().nullable().optional() }) });

const modelSchema = z.object({
  id: z.string(),
  context_length: z.number().nullable().optional(),
  hexs: z
    .object({
      chainId: z.number(),
      agent: z.string(),
      weightsCid: z.string(),
      receiptSigner: z.string(),
      runtime: z.string().nullable().optional(),
    })
    .optional(),
});
export type GatewayModel = z.infer<typeof modelSchema>;

const keyStatusSchema = z.object({
  key_id: z.string(),
  credits: z.number().nullable(),
  spend_cap: z.number(),
  spent: z.number(),
  reserved: z.number(),
  unsettled: z.number(),
  available: z.number(),
  refund_pending: z.boolean(),
  last_settlement: z.object({ tx: z.string(), at: z.string(), lines: z.number() }).nullable(),
});
export type KeyStatus = z.infer<typeof keyStatusSchema>;

const receiptSchema = z.object({
  requestId: z.string(),
  agent: z.string(),
  weightsCid: z.string(),
  keyId: z.string(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  cost: z.number(),
  sequence: z.number(),
  runningTotal: z.number(),
  interrupted: z.boolean(),
  signer: z.string(),
  signature: z.string(),
});
const receiptListSchema = z.object({ data: z.array(receiptSchema) });

async function getJson<T>(endpoint: string, path: string, schema: z.ZodType<T>, apiKey?: string): Promise<T> {
  const base = parseEndpoint(endpoint);
  if (!base) throw new GatewayRequestError(`The agent's endpoint "${endpoint}" is not an http(s) URL.`);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new GatewayRequestError(`The agent's gateway at ${base} did not answer.`, { cause: error });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = errorBody.safeParse(body);
    throw new GatewayRequestError(
      parsed.success
        ? `The gateway answered ${response.status}: ${parsed.data.error.message}`
        : `The gateway answered ${response.status}.`,
      { status: response.status },
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new GatewayRequestError(`The gateway at ${base} answered ${path} with something that is not HEXS's API.`, {
      details: parsed.error.message,
    });
  return parsed.data;
}

/** The model the gateway serves for `model` (the agent's address, lower case). */
export function readGatewayModel(endpoint: string, model: string): Promise<GatewayModel> {
  return getJson(endpoint, `/models/${encodeURIComponent(model)}`, modelSchema);
}

/** Credits, spend cap, spent, reserved and unsettled usage of the key `apiKey`, as the gateway counts them. */
export function readKeyStatus(endpoint: string, apiKey: string): Promise<KeyStatus> {
  return getJson(endpoint, "/key", keyStatusSchema, apiKey);
}

/** The key's latest receipts, newest first. */
export async function readReceipts(endpoint: string, apiKey: string): Promise<Receipt[]> {
  return (await getJson(endpoint, "/receipts", receiptListSchema, apiKey)).data as Receipt[];
}
