// Verified weights kept in the browser's Cache Storage, keyed by CID and path. A CID names its
// bytes forever, so an entry never goes stale; only bytes that passed verification are stored.
//
// NOTE: Cache Storage exists in secure contexts only (https, localhost, 127.0.0.1). Elsewhere,
// and where storage is refused (quota, private mode), reads simply go to IPFS every time.

const CACHE_NAME = "hexs-weights-v1";
/** Keys are URLs on a reserved domain: nothing is ever fetched from them. */
const KEY_BASE = "https://weights.hexs.invalid/ipfs/";

export interface CachedRead {
  bytes: Uint8Array;
  /** Whether the bytes came from the cache (no network). */
  cached: boolean;
}

function keyOf(cid: string, path: string): string {
  return `${KEY_BASE}${cid}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return globalThis.caches ? await globalThis.caches.open(CACHE_NAME) : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of `path` under `cid`: from the cache, or from `read` (verified), then cached. */
export async function readThroughCache(
  cid: string,
  path: string,
  read: () => Promise<Uint8Array>,
): Promise<CachedRead> {
  const cache = await openCache();
  const key = keyOf(cid, path);
  const hit = await cache?.match(key).catch(() => undefined);
  if (hit) return { bytes: new Uint8Array(await hit.arrayBuffer()), cached: true };
  const bytes = await read();
  await cache
    ?.put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "Content-Length": String(bytes.length) } }))
    .catch(() => undefined);
  return { bytes, cached: false };
}

/** Forgets every cached weight file (the playground's "clear cache", the bench's cold start). */
export async function clearWeightsCache(): Promise<boolean> {
  return globalThis.caches ? globalThis.caches.delete(CACHE_NAME) : false;
}
