// X.509 as Akash uses it: certificates filed on chain by owner and decimal serial, the owner's
// bech32 address as the common name, PEM texts of exactly one block. Shared by the provider
// proxy's checks and the Akash stand-in's x/cert.
import { X509Certificate } from "node:crypto";
import { fromBech32 } from "@cosmjs/encoding";

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
export function pemBlock(pem: string, type: string): Buffer | undefined {
  const match = new RegExp(`^\\s*-----BEGIN ${type}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+)-----END ${type}-----\\s*$`).exec(
    pem,
  );
  return match ? Buffer.from(match[1]!.replace(/\s/g, ""), "base64") : undefined;
}
