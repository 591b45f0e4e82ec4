// The Akash transactions HEXS sends, built with the SDK's generated protobuf types, and the
// CosmJS registry that encodes them (browser and stand-in use the same one).
import {
  MsgCloseDeployment,
  MsgCloseDeploymentResponse,
  MsgCreateDeployment,
  MsgCreateDeploymentResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { MsgCreateLease, MsgCreateLeaseResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import {
  MsgAccountDeposit,
  MsgAccountDepositResponse,
  MsgCreateCertificate,
  MsgCreateCertificateResponse,
  MsgMintACT,
  MsgMintACTResponse,
  MsgRevokeCertificate,
  MsgRevokeCertificateResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgSend, MsgSendResponse } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { Registry, type EncodeObject, type GeneratedType } from "@cosmjs/proto-signing";
import type { GroupSpecs } from "./deployment.ts";

/** Source of a deposit: the owner's own balance (the other source is an authz grant). */
const SOURCE_BALANCE = 1;
/** x/escrow's scope of a deployment's account (escrow/id/v1 Scope). */
const SCOPE_DEPLOYMENT = 1;

const TYPES = [
  MsgCreateDeployment,
  MsgCreateDeploymentResponse,
  MsgCloseDeployment,
  MsgCloseDeploymentResponse,
  MsgCreateLease,
  MsgCreateLeaseResponse,
  MsgCreateCertificate,
  MsgCreateCertificateResponse,
  MsgRevokeCertificate,
  MsgRevokeCertificateResponse,
  MsgMintACT,
  MsgMintACTResponse,
  MsgAccountDeposit,
  MsgAccountDepositResponse,
  MsgSend,
  MsgSendResponse,
] as const;

export const TYPE_URL = {
  createDeployment: `/${MsgCreateDeployment.$type}`,
  closeDeployment: `/${MsgCloseDeployment.$type}`,
  createLease: `/${MsgCreateLease.$type}`,
  createCertificate: `/${MsgCreateCertificate.$type}`,
  revokeCertificate: `/${MsgRevokeCertificate.$type}`,
  mintAct: `/${MsgMintACT.$type}`,
  accountDeposit: `/${MsgAccountDeposit.$type}`,
  send: `/${MsgSend.$type}`,
} as const;

/** A CosmJS registry that knows the messages above (and CosmJS's defaults). */
export function akashRegistry(): Registry {
  return new Registry(TYPES.map((type) => [`/${type.$type}`, type as unknown as GeneratedType]));
}

/** Identifies a lease: the deployment (owner, dseq), its group and order, and the winning bid. */
export interface LeaseRef {
  owner: string;
  dseq: string;
  gseq: number;
  oseq: number;
  provider: string;
  bseq: number;
}

export function createDeploymentMsg(p: {
  owner: string;
  dseq: bigint | string;
  groupSpecs: GroupSpecs;
  hash: Uint8Array;
  deposit: { denom: string; amount: string };
}): EncodeObject {
  return {
    typeUrl: TYPE_URL.createDeployment,
    value: MsgCreateDeployment.fromPartial({
      id: { owner: p.owner, dseq: String(p.dseq) as never },
      groups: p.groupSpecs,
      hash: p.hash,
      deposit: { amount: p.deposit, sources: [SOURCE_BALANCE] },
    }),
  };
}

export function createLeaseMsg(bid: LeaseRef): EncodeObject {
  return {
    typeUrl: TYPE_URL.createLease,
    value: MsgCreateLease.fromPartial({ bidId: { ...bid, dseq: bid.dseq as never } }),
  };
}

export function closeDeploymentMsg(p: { owner: string; dseq: string }): EncodeObject {
  return {
    typeUrl: TYPE_URL.closeDeployment,
    value: MsgCloseDeployment.fromPartial({ id: { owner: p.owner, dseq: p.dseq as never } }),
  };
}

/**
 * Publishes a client certificate for mTLS with providers. As on chain, `cert` and `pubkey` are
 * the PEM texts' bytes (what Akash's CLI and Console send), not DER.
 */
export function createCertificateMsg(p: { owner: string; certPem: string; publicKeyPem: string }): EncodeObject {
  return {
    typeUrl: TYPE_URL.createCertificate,
    value: MsgCreateCertificate.fromPartial({
      owner: p.owner,
      cert: new TextEncoder().encode(p.certPem),
      pubkey: new TextEncoder().encode(p.publicKeyPem),
    }),
  };
}

/** Revokes certificate `serial` (decimal) of `owner`: providers refuse it from then on. */
export function revokeCertificateMsg(p: { owner: string; serial: string }): EncodeObject {
  return {
    typeUrl: TYPE_URL.revokeCertificate,
    value: MsgRevokeCertificate.fromPartial({ id: { owner: p.owner, serial: p.serial } }),
  };
}

/** Burns `uakt` of the owner's AKT for ACT at the oracle's price; the ACT arrives at the next block. */
export function mintActMsg(owner: string, uakt: bigint): EncodeObject {
  return {
    typeUrl: TYPE_URL.mintAct,
    value: MsgMintACT.fromPartial({ owner, to: owner, coinsToBurn: { denom: "uakt", amount: uakt.toString() } }),
  };
}

/**
 * Adds `uact` from the signer's balance to deployment (owner, dseq)'s escrow (x/escrow
 * AccountDeposit), so its lease runs longer. In uact: AKT added this way is kept as AKT, which
 * pays providers only while x/bme is halted.
 */
export function accountDepositMsg(p: { signer: string; owner: string; dseq: string; uact: bigint }): EncodeObject {
  return {
    typeUrl: TYPE_URL.accountDeposit,
    value: MsgAccountDeposit.fromPartial({
      signer: p.signer,
      id: { scope: SCOPE_DEPLOYMENT, xid: `${p.owner}/${p.dseq}` },
      deposit: { amount: { denom: "uact", amount: p.uact.toString() }, sources: [SOURCE_BALANCE] },
    }),
  };
}
