// The stand-in's chain state and the Akash messages it executes: accounts and balances,
// deployments with their escrowed deposit, orders answered by bids, leases paid per block from
// the escrow, and closing (provider paid, rest refunded), and the certificates owners publish
// for mTLS with providers (certificates.ts). One block per `blockMs`.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { leaseCost, parseDec } from "../../../src/lib/akash/cost.ts";
import { TYPE_URL, type LeaseRef } from "../../../src/lib/akash/messages.ts";
import { validateCertificate, type CertificateRecord } from "./certificates.ts";
import { providerAddress, type StandInProvider } from "./providers.ts";
import { TxRejected, type DecodedTx } from "./txVerify.ts";

export interface Account {
  accountNumber: number;
  sequence: number;
  pubkey: Uint8Array | undefined;
  balance: bigint;
}

export interface DeploymentRecord {
  owner: string;
  dseq: bigint;
  state: "active" | "closed";
  hash: Uint8Array;
  createdAt: bigint;
  groups: GroupSpec[];
  escrow: bigint;
}

export interface BidRecord {
  ref: LeaseRef;
  state: "open" | "active" | "lost" | "closed";
  price: string;
  createdAt: bigint;
}

export interface LeaseRecord {
  ref: LeaseRef;
  state: "active" | "insufficient_funds" | "closed";
  price: string;
  createdAt: bigint;
  closedOn: bigint;
  /** uakt paid to the provider when the lease ended. */
  paid: bigint;
}

export interface ChainEvents {
  /** A lease ended (deployment closed, or escrow ran dry): the provider stops its workload. */
  onLeaseEnded?(lease: LeaseRecord): void;
}

export const key = (owner: string, dseq: bigint | string) => `${owner}/${dseq}`;

export class StandInChain {
  height = 1n;
  readonly accounts = new Map<string, Account>();
  readonly deployments = new Map<string, DeploymentRecord>();
  readonly bids: BidRecord[] = [];
  readonly leases: LeaseRecord[] = [];
  /** Keyed by `owner/serial`. */
  readonly certificates = new Map<string, CertificateRecord>();
  readonly providers: StandInProvider[];
  readonly minDeposit: bigint;
  #nextAccountNumber = 0;
  readonly #events: ChainEvents;

  constructor(p: { providers: StandInProvider[]; minDeposit: bigint; events?: ChainEvents }) {
    this.providers = p.providers;
    this.minDeposit = p.minDeposit;
    this.#events = p.events ?? {};
  }

  account(address: string): Account {
    let account = this.accounts.get(address);
    if (!account) {
      account = { accountNumber: this.#nextAccountNumber++, sequence: 0, pubkey: undefined, balance: 0n };
      this.accounts.set(address, account);
    }
    return account;
  }

  fund(address: string, uakt: bigint): void {
    this.account(address).balance += uakt;
  }

  /** Advances one block: escrow pays leases, and a lease whose deposit is spent ends. */
  tick(): void {
    this.height += 1n;
    for (const lease of this.leases) {
      if (lease.state !== "active") continue;
      const deployment = this.deployments.get(key(lease.ref.owner, lease.ref.dseq));
      if (deployment && leaseCost(lease.price, this.height - lease.createdAt) > deployment.escrow) {
        this.#endLease(lease, "insufficient_funds");
      }
    }
  }

  /** Executes a verified transaction's messages; throws TxRejected with the failing code. */
  execute(tx: DecodedTx): void {
    for (const { typeUrl, value } of tx.messages) {
      if (typeUrl === TYPE_URL.createDeployment) this.#createDeployment(tx.signer, value as CreateDeployment);
      else if (typeUrl === TYPE_URL.createLease) this.#createLease(tx.signer, value as CreateLease);
      else if (typeUrl === TYPE_URL.closeDeployment) this.#closeDeployment(tx.signer, value as CloseDeployment);
      else if (typeUrl === TYPE_URL.createCertificate) this.#createCertificate(tx.signer, value as CreateCertificate);
      else if (typeUrl === TYPE_URL.revokeCertificate) this.#revokeCertificate(tx.signer, value as RevokeCertificate);
      else throw new TxRejected(2, `the stand-in does not execute ${typeUrl}`);
    }
  }

  #createDeployment(signer: string, msg: CreateDeployment): void {
    const owner = msg.id?.owner ?? "";
    const dseq = BigInt(String(msg.id?.dseq ?? 0));
    if (owner !== signer) throw new TxRejected(4, `signer ${signer} is not the owner ${owner}`);
    if (dseq <= 0n) throw new TxRejected(18, "invalid dseq");
    if (this.deployments.has(key(owner, dseq))) throw new TxRejected(18, `deployment ${dseq} exists`);
    if (msg.hash.length !== 32) throw new TxRejected(18, "invalid manifest version hash");
    if (msg.groups.length === 0) throw new TxRejected(18, "no groups");
    const deposit = msg.deposit?.amount;
    if (deposit?.denom !== "uakt") throw new TxRejected(18, "deposit must be in uakt");
    const amount = BigInt(deposit.amount);
    if (amount < this.minDeposit)
      throw new TxRejected(18, `deposit ${amount}uakt is below the minimum ${this.minDeposit}uakt`);
    const account = this.account(owner);
    if (account.balance < amount)
      throw new TxRejected(5, `insufficient funds: ${account.balance}uakt is smaller than ${amount}uakt`);
    account.balance -= amount;
    this.deployments.set(key(owner, dseq), {
      owner,
      dseq,
      state: "active",
      hash: msg.hash,
      createdAt: this.height,
      groups: msg.groups,
      escrow: amount,
    });
  }

  /** Each provider that can host group `gseq` bids, if its price is within the group's maximum. */
  placeBids(owner: string, dseq: bigint): void {
    const deployment = this.deployments.get(key(owner, dseq));
    if (deployment?.state !== "active") return;
    deployment.groups.forEach((group, index) => {
      const gseq = index + 1;
      for (const provider of this.providers) {
        if (provider.silent || !canHost(provider, group)) continue;
        const max = group.resources.reduce((sum, unit) => sum + parseDec(unit.price?.amount ?? "0"), 0n);
        if (parseDec(provider.pricePerBlock) > max) continue;
        this.bids.push({
          ref: { owner, dseq: String(dseq), gseq, oseq: 1, provider: providerAddress(provider.name), bseq: 0 },
          state: "open",
          price: provider.pricePerBlock,
          createdAt: this.height,
        });
      }
    });
  }

  #createLease(signer: string, msg: CreateLease): void {
    const id = msg.bidId;
    if (!id || id.owner !== signer) throw new TxRejected(4, "only the deployment owner can accept a bid");
    const bid = this.bids.find((b) => sameRef(b.ref, { ...id, dseq: String(id.dseq) }));
    if (!bid) throw new TxRejected(18, "bid not found");
    if (bid.state !== "open") throw new TxRejected(18, `bid is ${bid.state}`);
    const deployment = this.deployments.get(key(id.owner, bid.ref.dseq));
    if (deployment?.state !== "active") throw new TxRejected(18, "deployment is not active");
    for (const other of this.bids) {
      if (
        other.ref.owner === bid.ref.owner &&
        other.ref.dseq === bid.ref.dseq &&
        other.ref.gseq === bid.ref.gseq &&
        other !== bid
      ) {
        if (other.state === "open") other.state = "lost";
      }
    }
    bid.state = "active";
    this.leases.push({
      ref: bid.ref,
      state: "active",
      price: bid.price,
      createdAt: this.height,
      closedOn: 0n,
      paid: 0n,
    });
  }

  #closeDeployment(signer: string, msg: CloseDeployment): void {
    const owner = msg.id?.owner ?? "";
    if (owner !== signer) throw new TxRejected(4, "only the owner can close the deployment");
    const deployment = this.deployments.get(key(owner, String(msg.id?.dseq ?? 0)));
    if (!deployment) throw new TxRejected(18, "deployment not found");
    if (deployment.state !== "active") throw new TxRejected(18, "deployment is already closed");
    for (const lease of this.leases) {
      if (lease.ref.owner === owner && lease.ref.dseq === String(deployment.dseq) && lease.state === "active") {
        this.#endLease(lease, "closed");
      }
    }
    for (const bid of this.bids) {
      if (bid.ref.owner === owner && bid.ref.dseq === String(deployment.dseq) && bid.state === "open")
        bid.state = "closed";
    }
    deployment.state = "closed";
    this.account(owner).balance += deployment.escrow;
    deployment.escrow = 0n;
  }

  #endLease(lease: LeaseRecord, state: "closed" | "insufficient_funds"): void {
    const deployment = this.deployments.get(key(lease.ref.owner, lease.ref.dseq));
    if (!deployment) return;
    const owed = leaseCost(lease.price, this.height - lease.createdAt);
    const paid = owed < deployment.escrow ? owed : deployment.escrow;
    deployment.escrow -= paid;
    this.fundProvider(lease.ref.provider, paid);
    lease.paid = paid;
    lease.state = state;
    lease.closedOn = this.height;
    const bid = this.bids.find((b) => sameRef(b.ref, lease.ref));
    if (bid) bid.state = "closed";
    this.#events.onLeaseEnded?.(lease);
  }

  /** The certificate `owner` published with `serial` (decimal), in whatever state. */
  certificate(owner: string, serial: string): CertificateRecord | undefined {
    return this.certificates.get(key(owner, serial));
  }

  /**
   * Stores a valid certificate as MsgCreateCertificate does, without a transaction: for what a
   * real network already holds when the stand-in starts (the providers' server certificates).
   */
  addCertificate(owner: string, cert: Uint8Array, pubkey: Uint8Array): CertificateRecord {
    const serial = validateCertificate(owner, cert, pubkey);
    if (this.certificates.has(key(owner, serial))) throw new TxRejected(18, "certificate already exists");
    const record: CertificateRecord = { owner, serial, state: "valid", cert, pubkey };
    this.certificates.set(key(owner, serial), record);
    return record;
  }

  #createCertificate(signer: string, msg: CreateCertificate): void {
    if (msg.owner !== signer) throw new TxRejected(4, `signer ${signer} is not the owner ${msg.owner}`);
    this.addCertificate(msg.owner, msg.cert, msg.pubkey);
  }

  #revokeCertificate(signer: string, msg: RevokeCertificate): void {
    const owner = msg.id?.owner ?? "";
    if (owner !== signer) throw new TxRejected(4, "only the owner can revoke the certificate");
    const certificate = this.certificate(owner, msg.id?.serial ?? "");
    if (!certificate) throw new TxRejected(18, "certificate not found");
    if (certificate.state === "revoked") throw new TxRejected(18, "certificate already revoked");
    certificate.state = "revoked";
  }

  fundProvider(address: string, uakt: bigint): void {
    this.account(address).balance += uakt;
  }
}

type CreateDeployment = import("@akashnetwork/chain-sdk/private-types/akash.v1beta4").MsgCreateDeployment;
type CreateLease = import("@akashnetwork/chain-sdk/private-types/akash.v1beta5").MsgCreateLease;
type CloseDeployment = import("@akashnetwork/chain-sdk/private-types/akash.v1beta4").MsgCloseDeployment;
type CreateCertificate = import("@akashnetwork/chain-sdk/private-types/akash.v1").MsgCreateCertificate;
type RevokeCertificate = import("@akashnetwork/chain-sdk/private-types/akash.v1").MsgRevokeCertificate;

export function sameRef(a: LeaseRef, b: LeaseRef): boolean {
  return (
    a.owner === b.owner &&
    a.dseq === b.dseq &&
    a.gseq === b.gseq &&
    a.oseq === b.oseq &&
    a.provider === b.provider &&
    a.bseq === b.bseq
  );
}

/** A provider can host a group when it has every GPU model the group asks for (or none is asked). */
function canHost(provider: StandInProvider, group: GroupSpec): boolean {
  return group.resources.every((unit) => {
    const gpu = unit.resource?.gpu;
    const units = Number(new TextDecoder().decode(gpu?.units?.val ?? new Uint8Array()) || 0);
    if (units === 0) return true;
    const models = (gpu?.attributes ?? []).map((a) => /model\/([^/]+)/.exec(a.key)?.[1]).filter((m) => m !== undefined);
    if (provider.gpuModels.length === 0) return false;
    return models.length === 0 || models.some((model) => provider.gpuModels.includes(model));
  });
}
