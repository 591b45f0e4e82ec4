import { createPublicKey, createPrivateKey, X509Certificate } from "node:crypto";
import { MsgCreateCertificate, MsgRevokeCertificate } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { TxBody } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { describe, expect, it } from "vitest";
import {
  certificateStatus,
  forgetClientCertificate,
  generateClientCertificate,
  loadClientCertificate,
  saveClientCertificate,
  type ClientCertificate,
} from "./certificate.ts";
import { akashRegistry, createCertificateMsg, revokeCertificateMsg, TYPE_URL } from "./messages.ts";
import { AkashMtlsNeedsProxyError } from "./errors.ts";
import { sendManifest } from "./provider.ts";

const owner = "akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy";
const certificate = await generateClientCertificate(owner);

class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

describe("generateClientCertificate", () => {
  it("makes a self-signed P-256 client certificate naming the owner, as providers check it", () => {
    const x509 = new X509Certificate(certificate.certPem);
    expect(x509.subject).toBe(`CN=${owner}`);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(x509.keyUsage).toContain("1.3.6.1.5.5.7.3.2"); // extKeyUsage clientAuth
    expect(BigInt(`0x${x509.serialNumber}`).toString()).toBe(certificate.serial);
    expect(new Date(x509.validTo).getTime()).toBe(certificate.expiresAt);
    expect(certificate.expiresAt - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
  });

  it("gives the private key of the certificate's public key, and that public key in the PEM the chain takes", () => {
    const x509 = new X509Certificate(certificate.certPem);
    const fromKey = createPublicKey(createPrivateKey(certificate.keyPem));
    const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: "spki", format: "der" });
    expect(spki(fromKey)).toEqual(spki(x509.publicKey));
    expect(certificate.publicKeyPem).toMatch(/^-----BEGIN EC PUBLIC KEY-----/);
    const pem = certificate.publicKeyPem.replaceAll("EC PUBLIC KEY", "PUBLIC KEY");
    expect(spki(createPublicKey(pem))).toEqual(spki(x509.publicKey));
  });

  it("makes a different key and serial each time", async () => {
    const other = await generateClientCertificate(owner);
    expect(other.keyPem).not.toBe(certificate.keyPem);
    expect(other.serial).not.toBe(certificate.serial);
  });
});

describe("certificate messages through protobuf", () => {
  it("MsgCreateCertificate carries the PEM texts' bytes, MsgRevokeCertificate the serial", () => {
    const registry = akashRegistry();
    const create = createCertificateMsg({
      owner,
      certPem: certificate.certPem,
      publicKeyPem: certificate.publicKeyPem,
    });
    const body = TxBody.decode(registry.encodeTxBody({ messages: [create], memo: "" }));
    expect(body.messages[0]!.typeUrl).toBe("/akash.cert.v1.MsgCreateCertificate");
    const decoded = MsgCreateCertificate.decode(body.messages[0]!.value);
    expect(decoded.owner).toBe(owner);
    expect(new TextDecoder().decode(decoded.cert)).toBe(certificate.certPem);
    expect(new TextDecoder().decode(decoded.pubkey)).toBe(certificate.publicKeyPem);

    const revoke = registry.decode({
      typeUrl: TYPE_URL.revokeCertificate,
      value: registry.encode(revokeCertificateMsg({ owner, serial: certificate.serial })),
    }) as MsgRevokeCertificate;
    expect(revoke.id).toEqual({ owner, serial: certificate.serial });
  });
});

describe("certificateStatus", () => {
  const published = [{ serial: certificate.serial, certPem: certificate.certPem }];

  it("is valid only when the chain holds this very certificate as valid", () => {
    expect(certificateStatus(undefined, published)).toEqual({ kind: "none" });
    expect(certificateStatus(certificate, published).kind).toBe("valid");
    expect(certificateStatus(certificate, []).kind).toBe("unpublished");
    // Same serial, another certificate: not ours.
    const forged: ClientCertificate = {
      ...certificate,
      certPem: certificate.certPem.replace(/[A-Z](?=[^-]*-----END)/, "x"),
    };
    expect(certificateStatus(forged, published).kind).toBe("unpublished");
    expect(certificateStatus(certificate, [{ serial: "1", certPem: certificate.certPem }]).kind).toBe("unpublished");
  });

  it("ignores line breaks in the PEM and calls an expired certificate expired", () => {
    const rewrapped = [{ serial: certificate.serial, certPem: certificate.certPem.replaceAll("\n", "\r\n") }];
    expect(certificateStatus(certificate, rewrapped).kind).toBe("valid");
    expect(certificateStatus(certificate, published, certificate.expiresAt).kind).toBe("expired");
  });
});

describe("the certificate kept in this browser", () => {
  it("is kept per chain and owner, and read back only when it is whole", () => {
    const storage = new MemoryStorage();
    saveClientCertificate("akashnet-2", certificate, storage);
    expect(loadClientCertificate("akashnet-2", owner, storage)).toEqual(certificate);
    expect(loadClientCertificate("sandbox-01", owner, storage)).toBeUndefined();
    expect(loadClientCertificate("akashnet-2", "akash1other", storage)).toBeUndefined();
    storage.setItem(storage.key(0)!, "{not json");
    expect(loadClientCertificate("akashnet-2", owner, storage)).toBeUndefined();
    storage.setItem(storage.key(0)!, JSON.stringify({ ...certificate, keyPem: undefined }));
    expect(loadClientCertificate("akashnet-2", owner, storage)).toBeUndefined();
    forgetClientCertificate("akashnet-2", owner, storage);
    expect(storage.length).toBe(0);
  });
});

describe("mTLS without a provider proxy", () => {
  it("is refused before anything is sent: a page cannot present a client certificate", async () => {
    const endpoint = { hostUri: "https://provider.invalid:8443", providerAddress: owner };
    await expect(sendManifest(endpoint, certificate, "1", "[]")).rejects.toBeInstanceOf(AkashMtlsNeedsProxyError);
  });
});
