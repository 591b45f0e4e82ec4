import { CID } from "multiformats/cid";
import { IpfsInvalidCidError, IpfsReadError, IpfsVerificationError } from "../ipfs/errors.ts";
import { RAW_CODE, SHA2_256_CODE, sha256 } from "../ipfs/hash.ts";
import { parseModelCard, type ModelCard } from "../schemas/modelCard.ts";

/**
 * Reads a model card for the marketplace, which reads many small ones. A card up to one chunk is
 * a single raw block: it is fetched as that block and its SHA-256 checked against the CID, with
 * no CAR machinery loaded. Any other card goes through the full verified CAR reader.
 */
export async function readModelCardLight(cid: string, gateways: readonly string[]): Promise<ModelCard> {
  let parsed: CID;
  try {
    parsed = CID.parse(cid);
  } catch (error) {
    throw new IpfsInvalidCidError(cid, error);
  }
  if (parsed.code !== RAW_CODE || parsed.multihash.code !== SHA2_256_CODE) {
    const { verifiedFileStream } = await import("../ipfs/carRead.ts");
    const stream = await verifiedFileStream(parsed, { gateways, signal: AbortSignal.timeout(15_000) });
    return parseModelCard(new Uint8Array(await new Response(stream).arrayBuffer()));
  }
  return parseModelCard(await readRawBlock(parsed, gateways));
}

async function readRawBlock(cid: CID, gateways: readonly string[]): Promise<Uint8Array> {
  const failures: string[] = [];
  for (const gateway of gateways) {
    const url = `${gateway.replace(/\/+$/, "")}/ipfs/${cid}?format=raw`;
    try {
      const response = await fetch(url, {
        headers: { accept: "application/vnd.ipld.raw" },
        signal: AbortSignal.timeout(15_000),
      });
      if (!response.ok) {
        failures.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const digest = await sha256(bytes);
      if (!equalBytes(digest, cid.multihash.digest)) {
        throw new IpfsVerificationError(cid.toString(), {
          details: `${url} answered bytes that do not hash to the CID`,
        });
      }
      return bytes;
    } catch (error) {
      if (error instanceof IpfsVerificationError) throw error;
      failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new IpfsReadError(cid.toString(), "no gateway answered with the model card", { details: failures.join("; ") });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
