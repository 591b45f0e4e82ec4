// Client certificates for providers that authenticate lease owners by mTLS only (providers
// older than JWT auth, AEP-64). As Akash Console does: the browser makes a self-signed ECDSA
// P-256 certificate whose common name is the owner's address (the SDK's certificate manager),
// publishes it on chain with MsgCreateCertificate, and keeps the private key in this browser.
// A page cannot present it in a TLS handshake itself, so requests go through the provider proxy
// with `auth: {type: "mtls", certPem, keyPem}` (providerProxy.ts). The provider looks the
// certificate up on chain by owner and serial and accepts it while it is valid there.
import { certificateManager } from "@akashnetwork/chain-sdk/web";
import { z } from "zod";
import { createCertificateMsg, revokeCertificateMsg } from "./messages.ts";
import { query, type AkashSdk } from "./node.ts";
import type { AkashTxClient, TxResult } from "./txClient.ts";

const clientCertificateSchema = z.object({
  owner: z.string(),
  certPem: z.string(),
  keyPem: z.string(),
  publicKeyPem: z.string(),
  /** The certificate's serial number in decimal, as the chain names it. */
  serial: z.string(),
  /** Not valid after this time (ms since the epoch). */
  expiresAt: z.number(),
});

export type ClientCertificate = z.infer<typeof clientCertificateSchema>;

/** Makes a certificate for `owner`, valid for a year from now (nothing is sent anywhere). */
export async function generateClientCertificate(owner: string): Promise<ClientCertificate> {
  const pem = await certificateManager.generatePEM(owner);
  const info = await certificateManager.parsePem(pem.cert);
  return {
    owner,
    certPem: pem.cert,
    keyPem: pem.privateKey,
    publicKeyPem: pem.publicKey,
    serial: BigInt(`0x${info.hSerial}`).toString(),
    expiresAt: info.expiresOn.getTime(),
  };
}

/** Publishes the certificate on chain: one transaction signed by its owner. */
export function publishCertificate(tx: AkashTxClient, certificate: ClientCertificate): Promise<TxResult> {
  return tx.signAndBroadcast("publish the client certificate", [
    createCertificateMsg({
      owner: certificate.owner,
      certPem: certificate.certPem,
      publicKeyPem: certificate.publicKeyPem,
    }),
  ]);
}

/** Revokes the certificate on chain: providers refuse it from the next block on. */
export function revokeCertificate(tx: AkashTxClient, certificate: ClientCertificate): Promise<TxResult> {
  return tx.signAndBroadcast("revoke the client certificate", [
    revokeCertificateMsg({ owner: certificate.owner, serial: certificate.serial }),
  ]);
}

export interface PublishedCertificate {
  serial: string;
  certPem: string;
}

/** The owner's certificates the chain holds as valid. */
export async function readValidCertificates(
  ctx: { node: AkashSdk; restUrl: string },
  owner: string,
): Promise<PublishedCertificate[]> {
  const { certificates } = await query(ctx.restUrl, () =>
    ctx.node.akash.cert.v1.getCertificates({ filter: { owner, state: "valid", serial: "" } }),
  );
  return certificates.map(({ serial, certificate }) => ({
    serial,
    certPem: new TextDecoder().decode(certificate?.cert ?? new Uint8Array()),
  }));
}

export type CertificateStatus =
  | { kind: "none" }
  /** Made in this browser but not (or no longer) valid on chain: publish it, or make a new one. */
  | { kind: "unpublished"; certificate: ClientCertificate }
  | { kind: "expired"; certificate: ClientCertificate }
  | { kind: "valid"; certificate: ClientCertificate };

/** What the browser holds for `owner`, checked against what the chain holds as valid. */
export function certificateStatus(
  local: ClientCertificate | undefined,
  published: PublishedCertificate[],
  now = Date.now(),
): CertificateStatus {
  if (!local) return { kind: "none" };
  if (local.expiresAt <= now) return { kind: "expired", certificate: local };
  const onChain = published.some((p) => p.serial === local.serial && samePem(p.certPem, local.certPem));
  return onChain ? { kind: "valid", certificate: local } : { kind: "unpublished", certificate: local };
}

function samePem(a: string, b: string): boolean {
  const body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, "");
  return body(a) === body(b);
}

const storageKey = (chainId: string, owner: string) => `hexs:akash:certificate:${chainId}:${owner}`;

/** The certificate this browser made for `owner` on `chainId`, with its private key. */
export function loadClientCertificate(
  chainId: string,
  owner: string,
  storage: Storage = localStorage,
): ClientCertificate | undefined {
  const text = storage.getItem(storageKey(chainId, owner));
  if (!text) return undefined;
  try {
    const parsed = clientCertificateSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.owner === owner ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveClientCertificate(
  chainId: string,
  certificate: ClientCertificate,
  storage: Storage = localStorage,
): void {
  storage.setItem(storageKey(chainId, certificate.owner), JSON.stringify(clientCertificateSchema.parse(certificate)));
}

export function forgetClientCertificate(chainId: string, owner: string, storage: Storage = localStorage): void {
  storage.removeItem(storageKey(chainId, owner));
}
