// The certificate checks of Akash Console's provider proxy (akash-network/console,
// apps/provider-proxy: utils/validateCertificateAttrs.ts, validateClientCertificateAttrs.ts,
// services/CertificateValidator), with Console's reason codes, which its answers carry:
// a client certificate is checked for its attributes before any provider is contacted, and a
// provider's server certificate must be the one that provider published on chain.
import { X509Certificate } from "node:crypto";
import { commonName, isAkashAddress, serialOf } from "./x509.ts";

export type CertificateProblem =
  | "validInFuture"
  | "expired"
  | "invalidSerialNumber"
  | "notSelfSigned"
  | "CommonNameIsNotBech32"
  | "unknownCertificate"
  | "fingerprintMismatch";

/** The valid certificate `owner` published on chain under `serial` (decimal), or null. */
export type PublishedCertificate = (owner: string, serial: string) => Promise<X509Certificate | null>;

/** validateCertificateAttrs: what can be told from the certificate alone. */
function attributesProblem(certificate: X509Certificate, now: number): CertificateProblem | undefined {
  if (Date.parse(certificate.validFrom) > now) return "validInFuture";
  if (Date.parse(certificate.validTo) < now) return "expired";
  if (!certificate.serialNumber.trim()) return "invalidSerialNumber";
  if (certificate.issuer !== certificate.subject) return "notSelfSigned";
  if (!isAkashAddress(commonName(certificate.subject))) return "CommonNameIsNotBech32";
  return undefined;
}

/** The lease owner's certificate from `auth.certPem`; "invalid" when it does not parse. */
export function clientCertificateProblem(
  certPem: string,
  now = Date.now(),
): CertificateProblem | "invalid" | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    return "invalid";
  }
  return attributesProblem(certificate, now);
}

/**
 * CertificateValidator.validate: the provider's server certificate must be a valid one the
 * chain holds for `providerAddress` under its serial, with the same fingerprint.
 */
export async function providerCertificateProblem(
  certificate: X509Certificate,
  providerAddress: string,
  published: PublishedCertificate,
  now = Date.now(),
): Promise<CertificateProblem | undefined> {
  const problem = attributesProblem(certificate, now);
  if (problem) return problem;
  const onChain = await published(providerAddress, serialOf(certificate));
  if (!onChain) return "unknownCertificate";
  if (onChain.fingerprint256 !== certificate.fingerprint256) return "fingerprintMismatch";
  return undefined;
}
