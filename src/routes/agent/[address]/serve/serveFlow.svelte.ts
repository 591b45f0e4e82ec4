// Serving an agent from an Akash lease: the page's state from the operator key to the gateway
// answering at the lease's URI. The operator key is made in this browser and kept with the
// deployment's record (src/lib/akash/serving.ts), written before each transaction is signed, so a
// reload finds the deployment again to follow it or close it.
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import type { Address } from "viem";
import { ActFunds } from "#lib/akash/actFunds.svelte.ts";
import { connectWallet } from "#lib/akash/connectWallet.ts";
import { CreationCheck } from "#lib/akash/creationCheck.svelte.ts";
import { AkashLogsNeedProxyError, AkashTxError } from "#lib/akash/errors.ts";
import { errorText } from "#lib/akash/errorText.ts";
import type { VllmService } from "#lib/akash/gatewayService.ts";
import type { JobResources } from "#lib/akash/job.ts";
import type { BidView } from "#lib/akash/lease.ts";
import { akash, openAkash } from "#lib/akash/modules.ts";
import { BidWatch } from "#lib/akash/bidWatch.svelte.ts";
import { leaseEndpoint, providerProxyOf } from "#lib/akash/providerProxy.ts";
import type { JwtSource } from "#lib/akash/providerAuth.ts";
import { loadServing, saveServing, type ServingDeployment, type ServingRecord } from "#lib/akash/serving.ts";
import type { CosmosAccount } from "#lib/akash/wallet.ts";
import { HexsError } from "#lib/errors.ts";
import { settings } from "#lib/state/settings.svelte.ts";

export type ServePhase = "setup" | "deploying" | "bidding" | "starting" | "serving" | "closing";

/** How often the lease status and the gateway's /ready are asked while it starts. */
const START_POLL_MS = 2_000;
/** An image pull and a model load take minutes: wait this long before saying it did not start. */
const START_MINUTES = 10;
/** vLLM's image is ~10 GB and a large model loads for minutes more. */
const VLLM_START_MINUTES = 30;

export class ServeFlow {
  account = $state.raw<CosmosAccount>();
  readonly act = new ActFunds({ forDeployments: true });
  phase = $state<ServePhase>("setup");
  busy = $state(false);
  error = $state<string>();
  record = $state<ServingRecord>();
  /** The bids while the owner chooses one, with each bidder's uptime. */
  readonly bidding = new BidWatch();
  /** What the start is waiting for, while it waits. */
  starting = $state<string>();
  /** The gateway answered /ready at the lease's endpoint. */
  ready = $state(false);
  readonly operator = $derived(this.record ? privateKeyToAddress(this.record.operatorKey as `0x${string}`) : undefined);
  readonly deployment = $derived(this.record?.deployment);
  /** A deployment whose creation was sent but not seen confirmed: what the chain says of it. */
  readonly creation = new CreationCheck({
    created: () => this.#saveDeployment({ ...this.#currentDeployment(), created: true }),
    notCreated: () => this.#forgetDeployment(),
  });
  #jwt: JwtSource | undefined;
  #stopped = false;

  readonly agent: Address;
  readonly chainId: number;

  constructor(agent: Address, chainId: number) {
    this.agent = agent;
    this.chainId = chainId;
    this.record = typeof localStorage === "undefined" ? undefined : loadServing(chainId, agent);
  }

  /** The operator key for this agent, made on first use and kept with the record. */
  ensureOperator(): Address {
    if (!this.record) this.#save({ agent: this.agent, chainId: this.chainId, operatorKey: generatePrivateKey() });
    return this.operator!;
  }

  /** On page load, or on Retry: settles from the chain a deployment whose creation was not seen confirmed. */
  checkCreation(): void {
    const deployment = this.record?.deployment;
    if (!deployment || deployment.created) return;
    void this.creation.check({
      chainId: deployment.akashChainId,
      owner: deployment.owner,
      dseq: deployment.dseq,
      manifestJson: deployment.manifestJson,
      deposit: deployment.deposit,
      sending: { timeoutHeight: deployment.timeoutHeight, txHash: deployment.txHash },
    });
  }

  async connect(kind: "keplr" | "dev"): Promise<void> {
    await this.#run(async () => {
      this.account = await connectWallet(kind);
      const { providerJwt } = await akash();
      this.#jwt = providerJwt(this.account);
      this.act.clear();
      await this.act.read(this.account);
    });
  }

  async mintAct(uakt: bigint): Promise<void> {
    await this.#run(() => this.act.mint(this.account, uakt));
  }

  /** Writes the gateway's SDL, creates the deployment with its deposit, then waits for bids. */
  async deploy(resources: JobResources, maxPricePerBlock: number, deposit: bigint, vllm?: VllmService): Promise<void> {
    this.creation.clear();
    await this.#run(async () => {
      if (!settings.current.akashProviderProxyUrl) throw new AkashLogsNeedProxyError();
      const record = this.#current();
      const [{ a, ctx, account }, { buildGatewaySdl }, { prepareSdl }] = await Promise.all([
        openAkash(this.account),
        import("#lib/akash/gatewayService.ts"),
        import("#lib/akash/deployment.ts"),
      ]);
      const prepared = await prepareSdl(
        buildGatewaySdl({
          agent: this.agent,
          rpcUrl: settings.current.rpcUrl,
          operatorKey: record.operatorKey,
          ipfsGateways: settings.current.ipfsGateways,
          resources,
          maxPricePerBlock,
          ...(vllm ? { vllm } : {}),
        }),
      );
      this.phase = "deploying";
      const plan = await a.planDeployment(ctx);
      // Recorded before the wallet prompt: once signed, the deposit may be escrowed whether or
      // not this tab lives to see it confirmed.
      this.#saveDeployment({
        akashChainId: account.chainId,
        owner: account.address,
        dseq: plan.dseq,
        manifestJson: prepared.manifestJson,
        deposit: deposit.toString(),
        created: false,
        timeoutHeight: plan.timeoutHeight,
        manifestSent: false,
        closed: false,
      });
      try {
        await a.createDeployment(ctx, prepared, { denom: a.UACT, amount: deposit.toString() }, plan, (txHash) =>
          this.#saveDeployment({ ...this.#currentDeployment(), txHash }),
        );
      } catch (error) {
        this.phase = "setup";
        // Never signed, or refused by the chain: nothing was escrowed. Otherwise only the chain knows.
        if (!this.#currentDeployment().txHash || error instanceof AkashTxError) this.#forgetDeployment();
        else this.checkCreation();
        throw error;
      }
      this.#saveDeployment({ ...this.#currentDeployment(), created: true });
      await this.#waitBids();
    });
  }

  async #waitBids(): Promise<void> {
    const { ctx } = await openAkash(this.account);
    this.phase = "bidding";
    const none = await this.bidding.wait(ctx, this.#currentDeployment(), providerProxyOf(settings.current));
    if (none) this.error = errorText(none);
  }

  /** Accepts a bid (creates the lease), sends the manifest and waits for the gateway to answer. */
  async accept(bid: BidView): Promise<void> {
    await this.#run(async () => {
      const { a, ctx } = await openAkash(this.account);
      this.#jwtSource();
      this.phase = "starting";
      await a.acceptBid(ctx, bid.ref);
      this.#saveDeployment({ ...this.#currentDeployment(), lease: bid.ref, hostUri: bid.hostUri });
      await this.#start();
    });
  }

  /** After a reload: follows the recorded deployment (the chain holds it) from where it was. */
  async resume(): Promise<void> {
    await this.#run(async () => {
      if (this.#currentDeployment().lease) {
        this.phase = "starting";
        await this.#start();
      } else await this.#waitBids();
    });
  }

  /** Sends the manifest (once), then waits for the lease's URI and the gateway's /ready. */
  async #start(): Promise<void> {
    const a = await akash();
    const deployment = this.#currentDeployment();
    const endpoint = leaseEndpoint(
      { hostUri: deployment.hostUri, provider: deployment.lease?.provider },
      settings.current,
    );
    if (!deployment.manifestSent) {
      this.starting = "Sending the manifest to the provider…";
      await a.sendManifest(endpoint, this.#jwtSource(), deployment.dseq, deployment.manifestJson, {
        onWait: (attempt, ms) => (this.starting = a.manifestWaitText(attempt, ms)),
      });
      this.#saveDeployment({ ...this.#currentDeployment(), manifestSent: true });
    }
    const { gatewayEndpoints, probeGateway, manifestServes, GATEWAY_SERVICE, VLLM_SERVICE } =
      await import("#lib/akash/gatewayService.ts");
    const minutes = manifestServes(deployment.manifestJson, VLLM_SERVICE) ? VLLM_START_MINUTES : START_MINUTES;
    const deadline = Date.now() + minutes * 60_000;
    this.ready = false;
    /** Where the lease status says the gateway may answer, until it answers at one of them. */
    let candidates: string[] = [];
    while (!this.#stopped && !this.ready) {
      if (Date.now() > deadline)
        throw new HexsError(`The gateway did not start in ${minutes} minutes`, {
          details:
            "the lease is still active and paid from the deposit: close the deployment, or look at its logs in Akash Console",
        });
      const current = this.#currentDeployment();
      if (current.endpoint) {
        this.starting = "Waiting for the gateway to load the agent's weights and check them against their CID…";
        this.ready = (await probeGateway([current.endpoint]))?.ready === true;
      } else if (!candidates.length) {
        this.starting = "Waiting for the provider to run the gateway (image pull, container start)…";
        const service = (await a.leaseStatus(endpoint, this.#jwtSource(), current.lease!)).services[GATEWAY_SERVICE];
        candidates = service?.available ? gatewayEndpoints(service.uris) : [];
      } else {
        this.starting = waitingToAnswer(candidates);
        const probe = await probeGateway(candidates);
        if (probe) this.#saveDeployment({ ...current, endpoint: probe.endpoint });
        this.ready = probe?.ready === true;
      }
      if (!this.ready) await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
    }
    this.starting = undefined;
    if (this.ready) this.phase = "serving";
  }

  /** Closes the deployment: the lease ends, the provider is paid, the rest of the deposit returns. */
  async close(): Promise<void> {
    await this.#run(async () => {
      this.bidding.stop();
      const { a, ctx } = await openAkash(this.account);
      this.phase = "closing";
      try {
        await a.closeDeployment(ctx, this.#currentDeployment().dseq);
      } catch (error) {
        this.phase = "setup";
        throw error;
      }
      this.#forgetDeployment();
      this.ready = false;
      this.bidding.clear();
      this.phase = "setup";
    });
  }

  stop(): void {
    this.#stopped = true;
    this.bidding.stop();
    this.creation.clear();
  }

  #jwtSource(): JwtSource {
    if (!this.#jwt) throw new HexsError("Connect a Cosmos wallet first");
    return this.#jwt;
  }

  #current(): ServingRecord {
    if (!this.record) throw new HexsError("Make the operator key first");
    return this.record;
  }

  #currentDeployment(): ServingDeployment {
    const deployment = this.record?.deployment;
    if (!deployment) throw new HexsError("No deployment serves this agent");
    return deployment;
  }

  #save(record: ServingRecord): void {
    saveServing(record);
    this.record = record;
  }

  #saveDeployment(deployment: ServingDeployment): void {
    this.#save({ ...this.#current(), deployment });
  }

  #forgetDeployment(): void {
    const { deployment: _, ...rest } = this.#current();
    this.#save(rest);
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

/** What the start waits for once the provider runs the gateway, and why it may never see it from here. */
function waitingToAnswer(candidates: readonly string[]): string {
  const text = `The provider runs the gateway; waiting for it to answer at ${candidates.join(" or ")}…`;
  // Mixed content: a page served over HTTPS cannot call a plain-HTTP address.
  return typeof location !== "undefined" &&
    location.protocol === "https:" &&
    candidates.some((c) => c.startsWith("http:"))
    ? `${text} (this page is served over HTTPS, so it cannot reach a gateway that answers over plain HTTP only: check ${candidates.at(-1)!.replace(/\/v1$/, "/ready")} yourself)`
    : text;
}
