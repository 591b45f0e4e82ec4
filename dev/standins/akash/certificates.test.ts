import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateManager } from "@akashnetwork/chain-sdk/web";
import {
  generateClientCertificate,
  publishCertificate,
  readValidCertificates,
  revokeCertificate,
  type ClientCertificate,
} from "../../../src/lib/akash/certificate.ts";
import { AkashTxError } from "../../../src/lib/akash/errors.ts";
import { createCertificateMsg } from "../../../src/lib/akash/messages.ts";
import type { AkashContext } from "../../../src/lib/akash/lease.ts";
import type { CosmosAccount } from "../../../src/lib/akash/wallet.ts";
import { providerAddress } from "./providers.ts";
import { startAkashStandIn, type AkashStandIn } from "./server.ts";
import { devKeyContext } from "./testing.ts";

let standIn: AkashStandIn;
let account: CosmosAccount;
let ctx: AkashContext;

beforeAll(async () => {
  standIn = await startAkashStandIn({ blockMs: 100 });
  ({ account, ctx } = await devKeyContext(standIn.nodeUrl));
});
afterAll(() => standIn?.stop());

const publishing = (certificate: ClientCertificate, override: Partial<ClientCertificate> = {}) =>
  ctx.tx.signAndBroadcast("publish", [createCertificateMsg({ ...certificate, ...override })]);

/** The failed transaction's code and log, as the client reports them. */
async function refusal(sent: Promise<unknown>): Promise<{ code: number; details: string }> {
  const error = await sent.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AkashTxError);
  return { code: (error as AkashTxError).code, details: (error as AkashTxError).details ?? "" };
}

describe("certificates on the stand-in chain, as Akash's x/cert keeps them", () => {
  it("publishes an owner's certificate in a signed transaction and lists it as valid", async () => {
    const certificate = await generateClientCertificate(account.address);
    await publishCertificate(ctx.tx, certificate);
    const published = await readValidCertificates(ctx, account.address);
    expect(published).toContainEqual({ serial: certificate.serial, certPem: certificate.certPem });
    expect(standIn.chain.certificate(account.address, certificate.serial)?.state).toBe("valid");
  });

  it("refuses a serial the owner already published", async () => {
    const certificate = await generateClientCertificate(account.address);
    await publishCertificate(ctx.tx, certificate);
    expect(await refusal(publishing(certificate))).toEqual({
      code: 18,
      details: expect.stringContaining("certificate already exists"),
    });
  });

  it("refuses a certificate whose common name is not the signer, and one published for another owner", async () => {
    const other = providerAddress("somebody-else");
    const foreign = await generateClientCertificate(other);
    expect(await refusal(publishing({ ...foreign, owner: account.address }))).toEqual({
      code: 18,
      details: expect.stringContaining("common name is not the owner"),
    });
    expect(await refusal(publishing(foreign))).toEqual({
      code: 4,
      details: expect.stringContaining("is not the owner"),
    });
    expect(await readValidCertificates(ctx, other)).toEqual([]);
  });

  it("refuses a public key that is not the certificate's", async () => {
    const certificate = await generateClientCertificate(account.address);
    const another = await certificateManager.generatePEM(account.address);
    expect(await refusal(publishing(certificate, { publicKeyPem: another.publicKey }))).toEqual({
      code: 18,
      details: expect.stringContaining("not the certificate's public key"),
    });
    expect(await refusal(publishing(certificate, { publicKeyPem: another.privateKey }))).toEqual({
      code: 18,
      details: expect.stringContaining("not a PEM EC PUBLIC KEY"),
    });
  });

  it("revokes a certificate: no longer listed as valid, listed as revoked, not revoked twice", async () => {
    const { account: owner, ctx: ownerCtx } = await devKeyContext(
      standIn.nodeUrl,
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    );
    standIn.testControls.fund(owner.address, 10_000_000n);
    const certificate = await generateClientCertificate(owner.address);
    await publishCertificate(ownerCtx.tx, certificate);
    await revokeCertificate(ownerCtx.tx, certificate);

    expect(await readValidCertificates(ownerCtx, owner.address)).toEqual([]);
    const revoked = await fetch(
      `${standIn.nodeUrl}/akash/cert/v1/certificates/list?filter.owner=${owner.address}&filter.state=revoked`,
    ).then((r) => r.json() as Promise<{ certificates: { serial: string; certificate: { state: string } }[] }>);
    expect(revoked.certificates).toEqual([
      expect.objectContaining({
        serial: certificate.serial,
        certificate: expect.objectContaining({ state: "revoked" }),
      }),
    ]);
    expect(await refusal(revokeCertificate(ownerCtx.tx, certificate))).toEqual({
      code: 18,
      details: expect.stringContaining("certificate already revoked"),
    });
  });

  it("holds each mTLS provider's server certificate, published under the provider's address", async () => {
    const [published, ...others] = await readValidCertificates(ctx, providerAddress("provider-d"));
    expect(others).toEqual([]);
    expect(published!.certPem).toContain("BEGIN CERTIFICATE");
    expect(await readValidCertificates(ctx, providerAddress("provider-a"))).toEqual([]);
  });
});
