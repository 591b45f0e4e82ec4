// What the proxy asks the chain, over a node's REST API, decoded with the Akash SDK's own types:
// the certificate a provider published (Console's ProviderService.getCertificate) and the host
// it registered (ProviderService.getHostUri). Answers are cached, as Console's
// ProviderHostVerifier and CertificateValidator keep them, so a busy proxy asks the chain once
// per provider, not once per request.
import type { X509Certificate } from "node:crypto";
import { QueryCertificatesResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { QueryProviderResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { PublishedCertificate } from "./certificates.ts";
import { withRetries } from "./retry.ts";
import { parseCertificatePem } from "./x509.ts";

const HOST_RECHECK_MS = 30 * 60_000;
/** A request for another host than the cached one sends the proxy back to chain at most this often. */
const HOST_MISMATCH_RECHECK_MS = 60_000;
const CERTIFICATE_CACHE_MS = 30 * 60_000;
const CACHE_LIMIT = 10_000;

export class ChainQueryFailed extends Error {
  override name = "ChainQueryFailed";
}

export interface ProviderChain {
  publishedCertificate: PublishedCertificate;
  /**
   * Whether `url` is on the host `providerAddress` registered on chain. A provider never seen
   * before is allowed while the chain cannot be asked (Console does the same, so deployments stay
   * manageable through a node outage); one seen before keeps its last known host.
   */
  isRegisteredHost(url: string, providerAddress: string): Promise<{ ok: true } | { ok: false; registered: string }>;
}

/** A bounded map whose oldest entries go first. */
class BoundedCache<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    this.delete(key);
    if (this.size >= CACHE_LIMIT) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

export function providerChain(restUrl: string, now: () => number = Date.now): ProviderChain {
  const base = restUrl.replace(/\/+$/, "");
  const hosts = new BoundedCache<{ origin: string | null; checkedAt: number }>();
  const certificates = new BoundedCache<{ certificate: X509Certificate; checkedAt: number }>();
  const inflightHosts = new Map<string, Promise<string | null>>();

  async function query(path: string): Promise<unknown> {
    const response = await withRetries(
      () => fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) }),
      (r) => r.status > 500,
    ).catch((error: unknown) => {
      throw new ChainQueryFailed(`${base}${path}: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new ChainQueryFailed(`${base}${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function registeredOrigin(providerAddress: string): Promise<string | null> {
    const json = await query(`/akash/provider/v1beta4/providers/${encodeURIComponent(providerAddress)}`);
    const hostUri = json === undefined ? "" : (QueryProviderResponse.fromJSON(json).provider?.hostUri ?? "");
    return URL.canParse(hostUri) ? new URL(hostUri).origin : null;
  }

  return {
    async publishedCertificate(owner, serial) {
      const key = `${owner}/${serial}`;
      const cached = certificates.get(key);
      if (cached && now() - cached.checkedAt < CERTIFICATE_CACHE_MS) return cached.certificate;
      const params = new URLSearchParams({
        "filter.state": "valid",
        "filter.owner": owner,
        "filter.serial": serial,
        "pagination.limit": "1",
      });
      const json = await query(`/akash/cert/v1/certificates/list?${params}`);
      const [record] = json === undefined ? [] : QueryCertificatesResponse.fromJSON(json).certificates;
      const certificate = record?.certificate && parseCertificatePem(new TextDecoder().decode(record.certificate.cert));
      if (!certificate) return null;
      certificates.set(key, { certificate, checkedAt: now() });
      return certificate;
    },

    async isRegisteredHost(url, providerAddress) {
      const origin = new URL(url).origin;
      const known = hosts.get(providerAddress);
      const age = known ? now() - known.checkedAt : Infinity;
      const fresh = known && age >= 0 && age < (known.origin === origin ? HOST_RECHECK_MS : HOST_MISMATCH_RECHECK_MS);
      let registered = fresh ? known.origin : undefined;
      if (registered === undefined) {
        let lookup = inflightHosts.get(providerAddress);
        if (!lookup) {
          lookup = registeredOrigin(providerAddress).finally(() => inflightHosts.delete(providerAddress));
          inflightHosts.set(providerAddress, lookup);
        }
        try {
          registered = await lookup;
          hosts.set(providerAddress, { origin: registered, checkedAt: now() });
        } catch (error) {
          if (!(error instanceof ChainQueryFailed)) throw error;
          if (!known) return { ok: true };
          registered = known.origin;
        }
      }
      return registered === origin ? { ok: true } : { ok: false, registered: registered ?? "none" };
    },
  };
}
