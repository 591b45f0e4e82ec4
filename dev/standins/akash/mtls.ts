// Provider-side check of a lease owner's TLS client certificate, as akash-network/provider does
// for mTLS (gateway/utils NewServerTLSConfig, then akash-api util/tls ValidatePeerCertificates):
// a self-signed certificate for clientAuth whose common name is the owner's address, current,
// and published on chain by that owner as a valid certificate with the same serial and body.
// The owner it names then has full access to its leases (AuthProcess: mTLS is not scoped).
// A real provider fails the TLS handshake instead; the stand-in accepts the handshake and
// answers 401 with the reason, so a test or a UI can tell the causes apart.
import type { X509Certificate } from "node:crypto";
import { commonName, isAkashAddress, parseCertificatePem, serialOf } from "../../../provider-proxy/src/x509.ts";
import type { CertificateRecord } from "./certificates.ts";

const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

export const MTLS_ONLY = "this provider authenticates lease owners by client certificate (mTLS) only";

/** A refused mTLS request; the message is the whole answer the provider gives. */
export class MtlsRejected extends Error {}

const rejected = (reason: string) => new MtlsRejected(`client certificate rejected: ${reason}`);

/** Returns the owner the certificate speaks for, or throws MtlsRejected with the reason. */
export function verifyClientCertificate(
  peer: X509Certificate | undefined,
  certificateOf: (owner: string, serial: string) => CertificateRecord | undefined,
  now = Date.now(),
): string {
  if (!peer) throw new MtlsRejected(`no client certificate: ${MTLS_ONLY}`);
  const owner = commonName(peer.subject);
  if (!owner || !isAkashAddress(owner))
    throw rejected("tls: invalid certificate's subject common name (not an akash address)");
  if (peer.issuer !== peer.subject) throw rejected("tls: the certificate is not self-signed");
  if (!(peer.keyUsage ?? []).includes(CLIENT_AUTH))
    throw rejected("tls: unable to verify certificate (its extended key usage lacks clientAuth)");
  if (!peer.verify(peer.publicKey)) throw rejected("tls: unable to verify certificate (bad self-signature)");
  if (Date.parse(peer.validFrom) > now || Date.parse(peer.validTo) < now)
    throw rejected("tls: unable to verify certificate (it has expired or is not yet valid)");
  const published = certificateOf(owner, serialOf(peer));
  if (published?.state !== "valid") throw rejected("tls: attempt to use non-existing or revoked certificate");
  const onChain = parseCertificatePem(new TextDecoder().decode(published.cert));
  if (!onChain?.raw.equals(peer.raw))
    throw rejected("tls: unable to verify certificate (it differs from the one on chain)");
  return owner;
}
