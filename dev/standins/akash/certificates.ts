// Certificates on the stand-in chain, as Akash's x/cert keeps them: one record per
// (owner, serial), valid until its owner revokes it. MsgCreateCertificate carries the PEM texts
// of an X.509 certificate and of its public key; like x/cert's ParseAndValidateCertificate the
// stand-in parses both, and refuses a certificate that is not its signer's (common name) or
// whose public key is another. Providers and the provider proxy look certificates up here.
import { commonName, parseCertificatePem, pemBlock, serialOf } from "../../../provider-proxy/src/x509.ts";
import { TxRejected } from "./txVerify.ts";

export interface CertificateRecord {
  owner: string;
  /** The certificate's serial number in decimal, as the chain names it. */
  serial: string;
  state: "valid" | "revoked";
  /** PEM text bytes, as published. */
  cert: Uint8Array;
  pubkey: Uint8Array;
}

/**
 * Checks a certificate `owner` publishes and returns its serial; throws TxRejected (code 18,
 * invalid request) with x/cert's reason.
 */
export function validateCertificate(owner: string, cert: Uint8Array, pubkey: Uint8Array): string {
  const certificate = parseCertificatePem(new TextDecoder().decode(cert));
  if (!certificate) throw new TxRejected(18, "invalid certificate value: not a PEM CERTIFICATE block");
  if (commonName(certificate.subject) !== owner)
    throw new TxRejected(18, `invalid certificate value: the subject's common name is not the owner ${owner}`);
  const key = pemBlock(new TextDecoder().decode(pubkey), "EC PUBLIC KEY");
  if (!key) throw new TxRejected(18, "invalid pubkey value: not a PEM EC PUBLIC KEY block");
  const spki = certificate.publicKey.export({ type: "spki", format: "der" });
  if (!spki.equals(key)) throw new TxRejected(18, "invalid pubkey value: it is not the certificate's public key");
  return serialOf(certificate);
}
