// The /train page's state: one fine-tuning run from the Cosmos wallet connection to the closed
// deployment, persisted step by step (src/lib/akash/inflight.ts) so a reload can resume it.
// The record is written before the deployment's transaction is signed; a run whose creation was
// never seen confirmed is settled from the chain by CreationCheck (#lib/akash/creationCheck.svelte.ts).
import { escrowLeft, leaseBlocks, leaseCost } from "#lib/akash/cost.ts";
import type { PreparedDeployment } from "#lib/akash/deployment.ts";
import {
  AkashLogsNeedProxyError,
  AkashMtlsNeedsProxyError,
  AkashProviderError,
  AkashTxError,
} from "#lib/akash/errors.ts";
import { clearInflight, loadInflight, saveInflight, type InflightDeployment } from "#lib/akash/inflight.ts";
import type { BidView } from "#lib/akash/lease.ts";
import type { ProgressEvent } from "#lib/akash/progress.ts";
import type { CertificateStatus } from "#lib/akash/certificate.ts";
import type { GpuOffer } from "#lib/akash/gpus.ts";
import type { LeaseEvent, LeaseStatus, LogStream, ProviderCredentials, ProviderEndpoint } from "#lib/akash/provider.ts";
import { BidWatch } from "#lib/akash/bidWatch.svelte.ts";
import { leaseEndpoint, providerProxyOf } from "#lib/akash/providerProxy.ts";
import type { JwtSource } from "#lib/akash/providerAuth.ts";
import type { CosmosAccount } from "#lib/akash/wallet.ts";
import { HexsError } from "#lib/errors.ts";
import { settings } from "#lib/state/settings.svelte.ts";
import { ActFunds } from "#lib/akash/actFunds.svelte.ts";
import { CreationCheck } from "#lib/akash/creationCheck.svelte.ts";
import { connectWallet } from "#lib/akash/connectWallet.ts";
import { akash, openAkash } from "#lib/akash/modules.ts";
import { errorText } from "#lib/akash/errorText.ts";

const LEASE_STATUS_INTERVAL_MS = 5_000;
/** While a lease's pod starts (an image pull takes minutes for a GPU image), its logs are asked for again. */
const POD_START_TRIES = 80;
const POD_START_WAIT_MS = 3_000;
/** How long a mint is waited for: x/bme executes it at the next block (about 6 s on mainnet). */

export type Phase = "setup" | "deploying" | "bidding" | "leasing" | "running" | "closing" | "ended";

/** JWT signed by the wallet (providers with AEP-64 auth), or the owner's client certificate (mTLS). */
export type ProviderAuthMode = "jwt" | "mtls";

export interface LossPoint {
  step: number;
  trainLoss: number;
}

export class TrainFlow {
  phase = $state<Phase>("setup");
  busy = $state(false);
  error = $state<string>();
  account = $state.raw<CosmosAccount>();
  /** The account's AKT and ACT, and minting ACT; read on connection and after each mint. */
  readonly act = new ActFunds({ forDeployments: true });
  /** Why the logs are being asked for again, while the lease's pod starts. */
  podWait = $state<string>();
  /** Why the manifest is being sent again, while a provider has not yet seen the lease. */
  manifestWait = $state<string>();
  /** The kinds of GPU providers offer (from their attributes on chain), read on connection. */
  gpuOffers = $state.raw<GpuOffer[]>();
  gpuOffersError = $state<string>();
  inflight = $state<InflightDeployment | undefined>(loadInflightSafe());
  /** The bids while the owner chooses one, with each bidder's uptime. */
  readonly bidding = new BidWatch();
  logs = $state<string[]>([]);
  /** The lease's Kubernetes events (image pull, container start…), as the provider relays them. */
  events = $state.raw<LeaseEvent[]>([]);
  /** Why the events could not be followed; the job and its logs go on regardless. */
  eventsError = $state<string>();
  losses = $state<LossPoint[]>([]);
  /** The provider could not be reached for the manifest or the logs; the lease still runs, Retry may get through. */
  providerDown = $state(false);
  /** The provider refused the credentials (HTTP 401/403); another way to authenticate, then Retry, may get through. */
  providerRefused = $state(false);
  /** How the lease owner authenticates to providers. */
  authMode = $state<ProviderAuthMode>("jwt");
  /** The account's client certificate: made in this browser, and whether the chain holds it as valid. */
  certificate = $state.raw<CertificateStatus>();
  /** The provider's view of the lease (services, replicas ready, URIs), read while the job runs. */
  leaseStatus = $state.raw<LeaseStatus>();
  /** Why the last status read failed; the job and its logs go on regardless. */
  leaseStatusError = $state<string>();
  /** The deployment's escrow now and the blocks it still pays for, read with the status. */
  escrow = $state.raw<{ remainingUact: bigint; blocksLeft: bigint | undefined }>();
  escrowError = $state<string>();
  /** An escrow top-up is on its way. */
  addingToEscrow = $state(false);
  readonly creation = new CreationCheck({
    created: () => this.#save(withoutSending(this.#current())),
    notCreated: () => this.#forget(),
  });
  #jwt: JwtSource | undefined;
  #walletKind: "keplr" | "dev" | undefined;
  #stream: LogStream | undefined;
  #events: LogStream | undefined;
  /** The running lease's price per block, read once (#readEscrow). */
  #leasePrice: { dseq: string; amount: string } | undefined;
  #statusPoll: ReturnType<typeof setInterval> | undefined;

  /** A run the chain is known to hold, found on return: resume it or close it. */
  readonly resumable = $derived(this.inflight !== undefined && !this.inflight.sending && this.phase === "setup");
  /** A run whose deployment was sent but not seen on chain: `creation` asks the chain. */
  readonly unconfirmed = $derived(this.inflight?.sending !== undefined && this.phase === "setup");

  /** On page load, or on Retry: settles an unconfirmed run from the chain. */
  checkCreation(): void {
    const inflight = this.inflight;
    if (inflight?.sending) void this.creation.check({ ...inflight, sending: inflight.sending });
  }

  async connect(kind: "keplr" | "dev"): Promise<void> {
    await this.#run(async () => {
      const account = await connectWallet(kind);
      this.account = account;
      this.#walletKind = kind;
      const { providerJwt } = await akash();
      // Keplr switched keys while this connection was being set up: keplrKeyChanged said so.
      if (this.account !== account) return;
      this.#jwt = providerJwt(account);
      this.certificate = undefined;
      this.act.clear();
      if (this.authMode === "mtls") await this.#readCertificate();
      await this.act.read(account);
      if (this.account !== account) return this.act.clear();
      void this.readGpuOffers();
    });
  }

  /** The GPUs providers publish on chain, for the job form's picker; a failure leaves a typed model possible. */
  async readGpuOffers(): Promise<void> {
    try {
      const { a, ctx } = await this.#context();
      this.gpuOffers = a.gpuOffers(await a.listProviderAttributes(ctx.node, ctx.restUrl));
      this.gpuOffersError = undefined;
    } catch (error) {
      this.gpuOffersError = errorText(error);
    }
  }

  /** Switches how the owner authenticates to providers; a certificate is checked against the chain first. */
  async chooseAuth(mode: ProviderAuthMode): Promise<void> {
    this.authMode = mode;
    if (mode === "mtls" && this.account) await this.#run(() => this.#readCertificate());
  }

  /** Reads the certificate this browser holds for the account and checks it against the chain. */
  async #readCertificate(): Promise<void> {
    const { a, ctx, account } = await this.#context();
    const local = a.loadClientCertificate(account.chainId, account.address);
    this.certificate = a.certificateStatus(local, local ? await a.readValidCertificates(ctx, account.address) : []);
  }

  /**
   * Publishes the account's client certificate, making one first unless this browser holds one
   * not yet valid on chain. The key is kept before the transaction is signed: a certificate that
   * lands on chain is of no use without it.
   */
  async publishCertificate(): Promise<void> {
    await this.#run(async () => {
      const { a, ctx, account } = await this.#context();
      const status = this.certificate;
      const certificate =
        status?.kind === "unpublished" ? status.certificate : await a.generateClientCertificate(account.address);
      a.saveClientCertificate(account.chainId, certificate);
      this.certificate = { kind: "unpublished", certificate };
      try {
        await a.publishCertificate(ctx.tx, certificate);
      } finally {
        // A transaction whose outcome is unknown may still have landed: ask the chain. Its
        // error, not this read's, is the one to show.
        await this.#readCertificate().catch(() => undefined);
      }
    });
  }

  /** Revokes the account's certificate on chain and forgets its key here. */
  async revokeCertificate(): Promise<void> {
    await this.#run(async () => {
      const { a, ctx, account } = await this.#context();
      if (this.certificate?.kind !== "valid") throw new HexsError("No valid client certificate to revoke");
      await a.revokeCertificate(ctx.tx, this.certificate.certificate);
      a.forgetClientCertificate(account.chainId, account.address);
      await this.#readCertificate();
    });
  }

  /**
   * The user switched Keplr to another key: the account this page holds would sign nothing
   * (Keplr refuses a signer that is not its current key), so drop it and ask to connect again.
   */
  keplrKeyChanged(): void {
    if (this.#walletKind !== "keplr" || !this.account) return;
    const previous = this.account.address;
    this.account = undefined;
    this.#jwt = undefined;
    this.certificate = undefined;
    this.act.clear();
    this.#walletKind = undefined;
    this.error = `Keplr switched away from ${previous}: connect Keplr again`;
  }

  /** Burns `uakt` for ACT, then waits (a few blocks at most) for the mint to be credited. */
  async mintAct(uakt: bigint): Promise<void> {
    await this.#run(() => this.act.mint(this.account, uakt));
  }

  /**
   * Adds ACT from the wallet to the running deployment's escrow (x/escrow AccountDeposit), as
   * Console's "Add funds". Not a #run: the job is followed meanwhile, and stays so.
   */
  async addToEscrow(uact: bigint): Promise<void> {
    this.addingToEscrow = true;
    this.error = undefined;
    try {
      const { a, ctx, account } = await this.#context();
      const inflight = this.#current();
      if (uact <= 0n) throw new HexsError("Enter the ACT to add to the escrow");
      const held = (await a.readBalances(ctx.restUrl, account.address)).uact;
      if (held < uact)
        throw new HexsError(`This account holds ${a.formatMicro(held, "ACT")}: mint more ACT first`, {
          details: `adding ${a.formatMicro(uact, "ACT")} to deployment ${inflight.dseq}'s escrow`,
        });
      await a.addToEscrow(ctx, inflight.owner, inflight.dseq, uact);
      await this.act.readBalances(account);
      await this.#readEscrow(inflight);
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.addingToEscrow = false;
    }
  }

  #context() {
    return openAkash(this.account);
  }

  /** Creates the deployment with its deposit, then waits for bids. */
  async deploy(
    prepared: PreparedDeployment,
    deposit: bigint,
    job: { datasetCid: string; base: InflightDeployment["base"]; expectedHours?: number },
  ): Promise<void> {
    this.creation.clear();
    await this.#run(async () => {
      const { a, ctx, account } = await this.#context();
      this.phase = "deploying";
      try {
        const plan = await a.planDeployment(ctx);
        // Recorded before the wallet prompt: once signed, the transaction may escrow the deposit
        // whether or not this tab lives to see it confirmed.
        this.#save({
          chainId: account.chainId,
          owner: account.address,
          dseq: plan.dseq,
          deposit: deposit.toString(),
          manifestJson: prepared.manifestJson,
          datasetCid: job.datasetCid,
          base: job.base,
          ...(job.expectedHours ? { expectedHours: job.expectedHours } : {}),
          createdAt: Date.now(),
          manifestSent: false,
          sending: { timeoutHeight: plan.timeoutHeight },
        });
        await a.createDeployment(ctx, prepared, { denom: a.UACT, amount: deposit.toString() }, plan, (txHash) =>
          this.#save({ ...this.#current(), sending: { timeoutHeight: plan.timeoutHeight, txHash } }),
        );
      } catch (error) {
        this.phase = "setup";
        const sent = this.inflight?.sending?.txHash !== undefined;
        // Never signed, or the chain refused it: nothing was escrowed. Otherwise only the chain knows.
        if (!sent || error instanceof AkashTxError) this.#forget();
        else this.checkCreation();
        throw error;
      }
      this.#save(withoutSending(this.#current()));
      await this.#waitBids();
    });
  }

  async #waitBids(): Promise<void> {
    const { ctx } = await this.#context();
    this.phase = "bidding";
    const none = await this.bidding.wait(ctx, this.#current(), providerProxyOf(settings.current));
    if (none) this.error = errorText(none);
  }

  /** Accepts a bid (creates the lease), sends the manifest and follows the job. */
  async accept(bid: BidView): Promise<void> {
    await this.#run(async () => {
      const { a, ctx } = await this.#context();
      // Checked before the lease is paid for, with the bids still on screen: without a proxy and
      // usable credentials the job could not be followed.
      if (!settings.current.akashProviderProxyUrl)
        throw this.authMode === "mtls" ? new AkashMtlsNeedsProxyError() : new AkashLogsNeedProxyError();
      this.#credentials();
      this.phase = "leasing";
      await a.acceptBid(ctx, bid.ref);
      this.#save({ ...this.#current(), lease: bid.ref, hostUri: bid.hostUri });
      await this.#sendManifestAndFollow();
    });
  }

  /** After the provider could not be reached: sends the manifest (if it never arrived) and follows the logs again. */
  async retryProvider(): Promise<void> {
    await this.#run(() => this.#sendManifestAndFollow());
  }

  async #sendManifestAndFollow(): Promise<void> {
    this.providerDown = false;
    this.providerRefused = false;
    // Recorded so that a resumed run authenticates the way it last did.
    if (this.inflight?.providerAuth !== this.authMode) this.#save({ ...this.#current(), providerAuth: this.authMode });
    try {
      await this.#followJob();
    } catch (error) {
      if (error instanceof AkashProviderError && error.retryable) this.providerDown = true;
      if (error instanceof AkashProviderError && (error.status === 401 || error.status === 403))
        this.providerRefused = true;
      throw error;
    }
  }

  async #followJob(): Promise<void> {
    const { a } = await this.#context();
    const inflight = this.#current();
    const endpoint = this.#endpoint();
    if (!inflight.manifestSent) {
      try {
        await a.sendManifest(endpoint, this.#credentials(), inflight.dseq, inflight.manifestJson, {
          onWait: (attempt, ms) => (this.manifestWait = a.manifestWaitText(attempt, ms)),
        });
      } finally {
        this.manifestWait = undefined;
      }
      this.#save({ ...inflight, manifestSent: true });
    }
    this.phase = "running";
    this.logs = [];
    this.losses = [];
    this.#pollLeaseStatus();
    void this.#followEvents();
    // The job's final line ends the run: a trainer image then idles with its log stream open (or
    // a real provider drops the stream without a close frame), so the stream's end is not awaited.
    let sawFinalLine = () => {};
    const finalLine = new Promise<void>((resolve) => (sawFinalLine = resolve));
    let cut: unknown;
    for (let tries = 1; ; tries++) {
      this.#stream = await a.followLogs(endpoint, this.#credentials(), inflight.lease!, (line) => {
        this.podWait = undefined;
        const event = a.parseProgress(line.message);
        this.#onLine(line.message, event);
        if (event?.event === "result" || event?.event === "failed") sawFinalLine();
      });
      cut = await Promise.race([
        finalLine,
        this.#stream.closed.then(
          () => undefined,
          (error: unknown) => error,
        ),
      ]);
      // No pod yet (its image is still being pulled): the provider closed the logs with 4000.
      const starting = cut instanceof Error && "noRunningPods" in cut && cut.noRunningPods === true;
      if (!starting || this.phase !== "running" || tries >= POD_START_TRIES) break;
      this.podWait = `The container is not running yet (its image may still be downloading); following its logs again in ${POD_START_WAIT_MS / 1000} s`;
      await new Promise((resolve) => setTimeout(resolve, POD_START_WAIT_MS));
      if (this.phase !== "running") break;
    }
    this.podWait = undefined;
    // The user closed the deployment while the job ran: close() already settles the run.
    if (this.phase !== "running") return;
    const current = this.#current();
    const ended = current.result !== undefined || current.failure !== undefined;
    // The connection dropped before the job ended: the lease runs on, so the run is not over.
    if (cut && !ended) throw cut;
    if (!ended) this.#save({ ...current, failure: "The job ended without a result line." });
    // Stop paying as soon as the job has ended, whatever its outcome.
    await this.close();
  }

  /** Follows the lease's events while the job runs, as Console's Events tab does; never fails the run. */
  async #followEvents(): Promise<void> {
    this.events = [];
    this.eventsError = undefined;
    try {
      const { a } = await this.#context();
      const inflight = this.#current();
      this.#events = await a.followLeaseEvents(this.#endpoint(), this.#credentials(), inflight.lease!, (event) => {
        this.events = [...this.events, event];
      });
      await this.#events.closed;
    } catch (error) {
      if (this.phase === "running") this.eventsError = errorText(error);
    }
  }

  /** Reads the lease status now and every few seconds while the job runs, as Akash Console does. */
  #pollLeaseStatus(): void {
    clearInterval(this.#statusPoll);
    const read = async () => {
      if (this.phase !== "running") return clearInterval(this.#statusPoll);
      const inflight = this.#current();
      try {
        const { a } = await this.#context();
        this.leaseStatus = await a.leaseStatus(this.#endpoint(), this.#credentials(), inflight.lease!);
        this.leaseStatusError = undefined;
      } catch (error) {
        this.leaseStatusError = errorText(error);
      }
      try {
        await this.#readEscrow(inflight);
        this.escrowError = undefined;
      } catch (error) {
        this.escrowError = errorText(error);
      }
    };
    void read();
    this.#statusPoll = setInterval(() => void read(), LEASE_STATUS_INTERVAL_MS);
  }

  /** What the escrow holds now, as x/escrow would settle it at the latest block (Console's balance and time left). */
  async #readEscrow(inflight: InflightDeployment): Promise<void> {
    const { a, ctx } = await this.#context();
    // A lease's price never changes: read once per lease, not with every 5 s status poll.
    const lease = inflight.lease!;
    if (this.#leasePrice?.dseq !== lease.dseq) {
      const read = await a.readLease(ctx, lease);
      if (read) this.#leasePrice = { dseq: lease.dseq, amount: read.price.amount };
    }
    const [escrow, height] = await Promise.all([a.readEscrow(ctx, inflight.owner, inflight.dseq), a.latestHeight(ctx)]);
    const price = this.#leasePrice?.dseq === lease.dseq ? this.#leasePrice.amount : undefined;
    this.escrow = escrow && price !== undefined ? escrowLeft(escrow, height, price) : undefined;
  }

  #onLine(message: string, event: ProgressEvent | undefined): void {
    this.logs.push(message);
    if (event?.event === "step") this.losses.push({ step: event.step, trainLoss: event.trainLoss });
    if (event?.event === "result")
      this.#save({
        ...this.#current(),
        result: { weightsCid: event.weightsCid, metricsCid: event.metricsCid, metrics: event.metrics },
      });
    if (event?.event === "failed") this.#save({ ...this.#current(), failure: event.error });
  }

  /** Closes the deployment: the lease ends, the provider is paid, the rest of the deposit returns. */
  async close(): Promise<void> {
    await this.#run(async () => {
      const { a, ctx } = await this.#context();
      const inflight = this.#current();
      this.bidding.stop();
      this.#stream?.close();
      this.#events?.close();
      this.providerDown = false;
      this.providerRefused = false;
      this.phase = "closing";
      const state = await a.readDeploymentState(ctx, inflight.owner, inflight.dseq);
      let height = Number(await a.latestHeight(ctx));
      if (state === "active") height = (await a.closeDeployment(ctx, inflight.dseq)).height;
      let cost = 0n;
      if (inflight.lease) {
        const lease = await a.readLease(ctx, inflight.lease);
        if (lease)
          cost = leaseCost(
            lease.price.amount,
            leaseBlocks(lease.createdAt, lease.closedOn > 0n ? lease.closedOn : BigInt(height)),
          );
      }
      this.#save({ ...this.#current(), closed: { cost: cost.toString(), height } });
      this.phase = "ended";
    });
  }

  /** After a reload: follow the job again (its logs replay from the start), or pick a bid. */
  async resume(): Promise<void> {
    this.creation.clear();
    await this.#run(async () => {
      const inflight = this.#current();
      if (this.account?.address !== inflight.owner)
        throw new HexsError(`Connect the Cosmos account that owns deployment ${inflight.dseq}`, {
          details: inflight.owner,
        });
      if (inflight.closed) {
        this.phase = "ended";
        return;
      }
      if (inflight.providerAuth) this.authMode = inflight.providerAuth;
      if (this.authMode === "mtls") await this.#readCertificate();
      if (inflight.lease) await this.#sendManifestAndFollow();
      else await this.#waitBids();
    });
  }

  /** Forgets the run (after publishing, or when the user dismisses a closed run). */
  dismiss(): void {
    this.#forget();
    this.creation.clear();
    this.phase = "setup";
    this.bidding.clear();
    this.logs = [];
    this.losses = [];
    this.providerDown = false;
    this.providerRefused = false;
    this.error = undefined;
  }

  /** Leaving the page: stop polling the chain. */
  stop(): void {
    this.creation.clear();
    clearInterval(this.#statusPoll);
  }

  /** The credentials `authMode` names; a certificate must be valid on chain for a provider to take it. */
  #credentials(): ProviderCredentials {
    if (this.authMode === "jwt") {
      if (!this.#jwt) throw new HexsError("Connect a Cosmos wallet first");
      return this.#jwt;
    }
    if (this.certificate?.kind !== "valid")
      throw new HexsError("Publish a client certificate first", {
        details: "Provider authentication → Client certificate: providers accept only certificates the chain holds.",
      });
    return this.certificate.certificate;
  }

  #endpoint(): ProviderEndpoint {
    const inflight = this.#current();
    return leaseEndpoint({ hostUri: inflight.hostUri, provider: inflight.lease?.provider }, settings.current);
  }

  #current(): InflightDeployment {
    if (!this.inflight) throw new HexsError("No deployment in flight");
    return this.inflight;
  }

  #save(next: InflightDeployment): void {
    saveInflight(next);
    this.inflight = next;
  }

  #forget(): void {
    clearInflight();
    this.inflight = undefined;
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.error = undefined;
    this.busy = true;
    try {
      await action();
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

function withoutSending({ sending: _, ...confirmed }: InflightDeployment): InflightDeployment {
  return confirmed;
}

function loadInflightSafe(): InflightDeployment | undefined {
  return typeof localStorage === "undefined" ? undefined : loadInflight();
}
