// Certificates on the stand-in chain, as Akash's x/cert keeps them: one record per
// (owner, serial), valid until its owner revokes it. MsgCreateCertificate carries the PEM texts
// of an X.509 certificate and of its public key; like x/cert's ParseAndValidateCertificate the
// stand-in parses both, and refuses a certificate that is not its signer's (common name) or
// whose public key is another. Providers and the provider proxy look certificates up here.
import { X509Certificate } from "node:crypto";
import { fromBech32 } from "@cosmjs/encoding";
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

/** The decimal serial the chain files `certificate` under (X509Certificate gives it in hex). */
export const serialOf = (certificate: X509Certificate): string => BigInt(`0x${certificate.serialNumber}`).toString();

/** The subject's (or issuer's) common name, or undefined when it has none. */
export function commonName(distinguishedName: string): string | undefined {
  return /^CN=(.*)$/m.exec(distinguishedName)?.[1];
}

export function isAkashAddress(text: string | undefined): boolean {
  try {
    return fromBech32(text ?? "").prefix === "akash";
  } catch {
    return false;
  }
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

/** The X.509 certificate in a PEM text holding exactly one CERTIFICATE block, or undefined. */
export function parseCertificatePem(pem: string): X509Certificate | undefined {
  const der = pemBlock(pem, "CERTIFICATE");
  if (!der) return undefined;
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** The DER bytes of a PEM text that is exactly one block of `type`. */
function pemBlock(pem: string, type: string): Buffer | undefined {
  const match = new RegExp(`^\\s*-----BEGIN ${type}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+)-----END ${type}-----\\s*$`).exec(
    pem,
  );
  return match ? Buffer.from(match[1]!.replace(/\s/g, ""), "base64") : undefined;
}
