// The stand-in's chain state and the Akash messages it executes, under the rules since the BME
// upgrade (node v2): accounts with AKT and ACT balances, ACT minted from AKT (bme.ts) and not
// transferable, deployments whose deposit and prices are in ACT (x/deployment/handler/server.go
// CreateDeployment), orders answered by bids, leases paid per block from the escrow, closing
// (provider paid, rest refunded), and the certificates owners publish for mTLS with providers
// (certificates.ts). Fees stay in AKT. One block per `blockMs`.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { leaseCost, parseDec } from "../../../src/lib/akash/cost.ts";
import { TYPE_URL, type LeaseRef } from "../../../src/lib/akash/messages.ts";
import { executeMint, type PendingMint } from "./bme.ts";
import { validateCertificate, type CertificateRecord } from "./certificates.ts";
import { providerAddress, type StandInProvider } from "./providers.ts";
import { TxRejected, type DecodedTx } from "./txVerify.ts";

export type Denom = "uakt" | "uact";

export interface Account {
  accountNumber: number;
  sequence: number;
  pubkey: Uint8Array | undefined;
  balances: Record<Denom, bigint>;
}

export interface DeploymentRecord {
  owner: string;
  dseq: bigint;
  state: "active" | "closed";
  hash: Uint8Array;
  createdAt: bigint;
  groups: GroupSpec[];
  /** The deposit left in escrow, in uact. */
  escrow: bigint;
  /** AKT added with AccountDeposit: kept as AKT, paying providers only while x/bme is halted (never here). */
  escrowUakt: bigint;
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
  /** uact paid to the provider when the lease ended. */
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
  /** x/deployment's `min_deposits`, per denom (mainnet: 500000 of each). */
  readonly minDeposit: bigint;
  /** AKT's price from the oracle, in micro-USD (ACT is $1). */
  aktPriceMicroUsd: bigint;
  readonly pendingMints: PendingMint[] = [];
  #nextAccountNumber = 0;
  readonly #events: ChainEvents;

  constructor(p: { providers: StandInProvider[]; minDeposit: bigint; aktPriceMicroUsd: bigint; events?: ChainEvents }) {
    this.providers = p.providers;
    this.minDeposit = p.minDeposit;
    this.aktPriceMicroUsd = p.aktPriceMicroUsd;
    this.#events = p.events ?? {};
  }

  account(address: string): Account {
    let account = this.accounts.get(address);
    if (!account) {
      account = {
        accountNumber: this.#nextAccountNumber++,
        sequence: 0,
        pubkey: undefined,
        balances: { uakt: 0n, uact: 0n },
      };
      this.accounts.set(address, account);
    }
    return account;
  }

  fund(address: string, amount: bigint, denom: Denom = "uakt"): void {
    this.account(address).balances[denom] += amount;
  }

  /** Advances one block: queued mints execute, escrow pays leases, a lease whose deposit is spent ends. */
  tick(): void {
    this.height += 1n;
    for (const mint of this.pendingMints.splice(0)) {
      const outcome = executeMint(mint.uakt, this.aktPriceMicroUsd);
      const account = this.account(mint.owner);
      // A cancelled mint gives the AKT back (keeper.go cancelBurnMint).
      if ("canceled" in outcome) account.balances.uakt += mint.uakt;
      else account.balances.uact += outcome.minted;
    }
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
    tx.messages.forEach(({ typeUrl, value }, index) => {
      try {
        this.#executeOne(tx.signer, typeUrl, value);
      } catch (error) {
        // The node's DeliverTx log for a failing message.
        if (error instanceof TxRejected)
          throw new TxRejected(
            error.code,
            `failed to execute message; message index: ${index}: ${error.message}`,
            error.codespace,
          );
        throw error;
      }
    });
  }

  #executeOne(signer: string, typeUrl: string, value: unknown): void {
    if (typeUrl === TYPE_URL.createDeployment) this.#createDeployment(signer, value as CreateDeployment);
    else if (typeUrl === TYPE_URL.createLease) this.#createLease(signer, value as CreateLease);
    else if (typeUrl === TYPE_URL.closeDeployment) this.#closeDeployment(signer, value as CloseDeployment);
    else if (typeUrl === TYPE_URL.createCertificate) this.#createCertificate(signer, value as CreateCertificate);
    else if (typeUrl === TYPE_URL.revokeCertificate) this.#revokeCertificate(signer, value as RevokeCertificate);
    else if (typeUrl === TYPE_URL.mintAct) this.#mintAct(signer, value as MintAct);
    else if (typeUrl === TYPE_URL.send) this.#send(signer, value as Send);
    else if (typeUrl === TYPE_URL.accountDeposit) this.#accountDeposit(signer, value as AccountDeposit);
    else throw new TxRejected(2, `the stand-in does not execute ${typeUrl}`);
  }

  /** bme MintACT: ValidateBasic, then RequestBurnMint (the AKT is taken now, the ACT comes at the next block). */
  #mintAct(signer: string, msg: MintAct): void {
    if (msg.owner !== signer) throw new TxRejected(4, `signer ${signer} is not the owner ${msg.owner}`);
    if (msg.owner !== msg.to) throw new TxRejected(3, "owner and to addresses must match: unauthorized", "bme");
    const coin = msg.coinsToBurn;
    const amount = BigInt(coin?.amount || "0");
    if (amount === 0n) throw new TxRejected(8, "amount must not be 0: invalid amount", "bme");
    if (coin?.denom !== "uakt")
      throw new TxRejected(9, `invalid swap route ${coin?.denom} -> uact: invalid denomination`, "bme");
    const account = this.account(msg.owner);
    if (account.balances.uakt < amount)
      throw new TxRejected(
        5,
        `spendable balance ${account.balances.uakt}uakt is smaller than ${amount}uakt: insufficient funds`,
      );
    account.balances.uakt -= amount;
    this.pendingMints.push({ owner: msg.owner, uakt: amount });
  }

  /**
   * escrow AccountDeposit (x/escrow/handler/server.go): ValidateBasic (escrow/v1/msgs.go,
   * escrow/id/v1/id.go), AuthorizeDeposits (the signer's balance; this chain holds no deposit
   * grants), then AccountDeposit (keeper.go: the account must exist and be open). Anyone may fund
   * a deployment's escrow. uact pays the leases; uakt is kept as AKT (fetchDepositsToAccount).
   */
  #accountDeposit(signer: string, msg: AccountDeposit): void {
    if (msg.signer !== signer) throw new TxRejected(4, `signer ${signer} is not ${msg.signer}`);
    const xid = msg.id?.xid ?? "";
    const [owner = "", dseq = "", ...rest] = xid.split("/");
    if (msg.id?.scope !== 1 && msg.id?.scope !== 2) throw new TxRejected(12, "invalid scope: invalid ID", "escrow");
    if (msg.id.scope === 1 && (rest.length > 0 || !dseq))
      throw new TxRejected(12, "invalid xid format: invalid ID", "escrow");
    if (!/^\d+$/.test(dseq)) throw new TxRejected(12, `invalid xid/dseq: ${dseq}: invalid ID`, "escrow");
    const coin = msg.deposit?.amount;
    const amount = BigInt(coin?.amount || "0");
    if (amount === 0n) throw new TxRejected(16, "invalid deposit", "escrow");
    const sources = msg.deposit?.sources ?? [];
    if (sources.length === 0) throw new TxRejected(4, "empty deposit sources: invalid deposit source", "akash");
    if (new Set(sources).size !== sources.length)
      throw new TxRejected(4, "duplicate deposit source type: invalid deposit source", "akash");
    const denom = coin?.denom as Denom;
    const spendable = sources.includes(1) ? (this.account(signer).balances[denom] ?? 0n) : 0n;
    if (spendable < amount) throw new TxRejected(28, "deposit invalid: insufficient balance", "market");
    const deployment = msg.id.scope === 1 ? this.deployments.get(key(owner, dseq)) : undefined;
    if (!deployment) throw new TxRejected(3, "account not found", "escrow");
    if (deployment.state !== "active") throw new TxRejected(2, "account closed", "escrow");
    this.account(signer).balances[denom] -= amount;
    if (denom === "uact") deployment.escrow += amount;
    else deployment.escrowUakt += amount;
  }

  /** bank Send: AKT moves; ACT is not transferable (send disabled for uact, x/bank IsSendEnabledCoins). */
  #send(signer: string, msg: Send): void {
    if (msg.fromAddress !== signer) throw new TxRejected(4, `signer ${signer} is not the sender ${msg.fromAddress}`);
    for (const coin of msg.amount) {
      if (coin.denom === "uact")
        throw new TxRejected(5, "uact transfers are currently disabled: send transactions are disabled", "bank");
      if (coin.denom !== "uakt")
        throw new TxRejected(5, `0${coin.denom} is smaller than ${coin.amount}${coin.denom}: insufficient funds`);
      const amount = BigInt(coin.amount);
      const from = this.account(msg.fromAddress);
      if (from.balances.uakt < amount)
        throw new TxRejected(
          5,
          `spendable balance ${from.balances.uakt}uakt is smaller than ${amount}uakt: insufficient funds`,
        );
      from.balances.uakt -= amount;
      this.account(msg.toAddress).balances.uakt += amount;
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
    // In the node's order (CreateDeployment): the minimum per denom, then AKT refused outright,
    // then the groups' price denom, then the deposit taken from its sources.
    const deposit = msg.deposit?.amount;
    const amount = BigInt(deposit?.amount || "0");
    if (deposit?.denom !== "uact" && deposit?.denom !== "uakt")
      throw new TxRejected(20, `Invalid deposit denomination ${deposit?.denom}: Deposit invalid`, "deployment");
    if (amount < this.minDeposit)
      throw new TxRejected(
        20,
        `Deposit too low - ${amount} < ${this.minDeposit}${deposit.denom}: Deposit invalid`,
        "deployment",
      );
    // "AKT deposits are only allowed via AccountDeposit (existing deployment)"
    if (deposit.denom === "uakt") throw new TxRejected(20, "Deposit invalid", "deployment");
    const priceDenom = msg.groups[0]?.resources[0]?.price?.denom;
    if (priceDenom !== "uact")
      throw new TxRejected(24, `unsupported denomination ${priceDenom}: invalid price`, "deployment");
    // Sources: the owner's balance (1); this chain holds no deposit grants (2) to draw on.
    if (!msg.deposit?.sources.includes(1))
      throw new TxRejected(5, `no deposit source with ${amount}uact available: insufficient funds`);
    const account = this.account(owner);
    if (account.balances.uact < amount)
      throw new TxRejected(
        5,
        `spendable balance ${account.balances.uact}uact is smaller than ${amount}uact: insufficient funds`,
      );
    account.balances.uact -= amount;
    this.deployments.set(key(owner, dseq), {
      owner,
      dseq,
      state: "active",
      hash: msg.hash,
      createdAt: this.height,
      groups: msg.groups,
      escrow: amount,
      escrowUakt: 0n,
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
    this.account(owner).balances.uact += deployment.escrow;
    this.account(owner).balances.uakt += deployment.escrowUakt;
    deployment.escrow = 0n;
    deployment.escrowUakt = 0n;
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

  fundProvider(address: string, uact: bigint): void {
    this.account(address).balances.uact += uact;
  }
}

type CreateDeployment = import("@akashnetwork/chain-sdk/private-types/akash.v1beta4").MsgCreateDeployment;
type MintAct = import("@akashnetwork/chain-sdk/private-types/akash.v1").MsgMintACT;
type AccountDeposit = import("@akashnetwork/chain-sdk/private-types/akash.v1").MsgAccountDeposit;
type Send = import("cosmjs-types/cosmos/bank/v1beta1/tx").MsgSend;
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
  // The placement's signedBy: attributes signed by any one of anyOf, and by every one of allOf.
  const auditors = provider.auditedBy ?? [];
  const signedBy = group.requirements?.signedBy;
  if (signedBy?.anyOf.length && !signedBy.anyOf.some((a) => auditors.includes(a))) return false;
  if (signedBy?.allOf.length && !signedBy.allOf.every((a) => auditors.includes(a))) return false;
  return group.resources.every((unit) => {
    const gpu = unit.resource?.gpu;
    const units = Number(new TextDecoder().decode(gpu?.units?.val ?? new Uint8Array()) || 0);
    if (units === 0) return true;
    if (provider.gpus.length === 0) return false;
    // The group's GPU attributes, as the SDK flattens the SDL: vendor/<v>[/model/<m>[/ram/<r>][/interface/<i>]].
    const wanted = (gpu?.attributes ?? []).map((a) =>
      /^vendor\/([^/]+)(?:\/model\/([^/]+))?(?:\/ram\/([^/]+))?(?:\/interface\/([^/]+))?$/.exec(a.key),
    );
    return (
      wanted.length === 0 ||
      wanted.some((want) => {
        if (!want) return false;
        const [, vendor, model, ram, iface] = want;
        return provider.gpus.some(
          (offer) =>
            offer.vendor === vendor &&
            (!model || model === "*" || offer.model === model) &&
            (!ram || offer.ram === ram) &&
            (!iface || offer.interface === iface),
        );
      })
    );
  });
}
