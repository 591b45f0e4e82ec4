import { verifiedRead } from "../ipfs/fetch.ts";
import { parseModelCard, type ModelCard } from "../schemas/modelCard.ts";

/**
 * Reads a model card from IPFS, verifying every byte against its CID, then checks it against
 * the schema: tampered bytes and malformed cards both fail with an error that says which.
 */
export async function readModelCard(cid: string, gateways: readonly string[]): Promise<ModelCard> {
  const bytes = await verifiedRead(cid, { gateways, signal: AbortSignal.timeout(15_000) });
  return parseModelCard(bytes);
}
