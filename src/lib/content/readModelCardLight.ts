import { verifiedFileStream } from "../ipfs/carRead.ts";
import { parseModelCard, type ModelCard } from "../schemas/modelCard.ts";

/**
 * Reads a model card as one depth-first CAR, checking every block against the CID, without
 * loading verified-fetch: light enough for the marketplace, which reads many small cards.
 */
export async function readModelCardLight(cid: string, gateways: readonly string[]): Promise<ModelCard> {
  const stream = await verifiedFileStream(cid, { gateways, signal: AbortSignal.timeout(15_000) });
  return parseModelCard(new Uint8Array(await new Response(stream).arrayBuffer()));
}
