// The node API subset the HEXS client uses, over REST (gRPC-gateway JSON, snake_case), encoded
// with the same SDK types the client decodes with.
import {
  QueryProvidersResponse as AuditProvidersResponse,
  QueryAggregatedPriceResponse,
  QueryCertificatesResponse,
  QueryParamsResponse as BmeQueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  QueryDeploymentResponse,
  QueryParamsResponse as DeploymentQueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { QueryProviderResponse, QueryProvidersResponse } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  QueryBidsResponse,
  QueryLeaseResponse,
  QueryLeasesResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import {
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetLatestBlockResponse,
  GetTxResponse,
  QueryAccountInfoResponse,
  QueryAllBalancesResponse,
  SimulateRequest,
  SimulateResponse,
} from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { toHex } from "@cosmjs/encoding";
import { sha256 } from "@cosmjs/crypto";
import { ACT_PRICE_MICRO_USD, BME_PARAMS } from "./bme.ts";
import { key, sameRef, type BidRecord, type LeaseRecord, type StandInChain } from "./chain.ts";
import { gasUsed, type StandInMempool } from "./mempool.ts";
import { providerAddress, publishedAttributes, type StandInProvider } from "./providers.ts";
import { decodeTx, TxRejected } from "./txVerify.ts";

export interface RestReply {
  status: number;
  body: unknown;
}

export interface NodeApi {
  handle(method: string, url: URL, body: unknown): Promise<RestReply>;
}

export function nodeApi(
  chain: StandInChain,
  mempool: StandInMempool,
  options: {
    chainId: string;
    /** The host a provider registered on chain (where the stand-in serves its API). */
    hostUriOf: (provider: StandInProvider) => string;
  },
): NodeApi {
  const ok = (body: unknown): RestReply => ({ status: 200, body });
  const notFound = (what: string): RestReply => ({
    status: 404,
    body: { code: 5, message: `${what} not found`, details: [] },
  });
  const q = (url: URL, name: string) => url.searchParams.get(name) ?? "";

  /** BROADCAST_MODE_SYNC: answers with CheckTx's verdict; a block includes the transaction later. */
  async function broadcast(txBytes: Uint8Array, simulate: boolean): Promise<RestReply> {
    const txhash = toHex(sha256(txBytes)).toUpperCase();
    let tx;
    try {
      tx = decodeTx(txBytes);
    } catch (error) {
      return checkFailure(txhash, error);
    }
    if (simulate)
      return ok(
        SimulateResponse.toJSON(
          SimulateResponse.fromPartial({ gasInfo: { gasUsed: String(gasUsed(tx)) as never, gasWanted: "0" as never } }),
        ),
      );
    try {
      await mempool.check(txhash, tx);
    } catch (error) {
      return checkFailure(txhash, error);
    }
    return ok(
      BroadcastTxResponse.toJSON(BroadcastTxResponse.fromPartial({ txResponse: { txhash, code: 0, rawLog: "" } })),
    );
  }

  function checkFailure(txhash: string, error: unknown): RestReply {
    const rejected = error instanceof TxRejected ? error : new TxRejected(2, String(error));
    return ok(
      BroadcastTxResponse.toJSON(
        BroadcastTxResponse.fromPartial({
          txResponse: { txhash, code: rejected.code, rawLog: rejected.message, codespace: rejected.codespace },
        }),
      ),
    );
  }

  const bidJson = (bid: BidRecord) => ({
    bid: {
      id: { ...bid.ref, dseq: bid.ref.dseq as never },
      state: ["", "open", "active", "lost", "closed"].indexOf(bid.state),
      price: { denom: "uact", amount: decimal(bid.price) },
      createdAt: String(bid.createdAt) as never,
      resourcesOffer: [],
    },
  });
  const leaseJson = (lease: LeaseRecord) => ({
    lease: {
      id: { ...lease.ref, dseq: lease.ref.dseq as never },
      state: ["", "active", "insufficient_funds", "closed"].indexOf(lease.state),
      price: { denom: "uact", amount: decimal(lease.price) },
      createdAt: String(lease.createdAt) as never,
      closedOn: String(lease.closedOn) as never,
    },
  });
  const leaseFilter = (url: URL, prefix: string) => (ref: { owner: string; dseq: string; provider: string }) =>
    (!q(url, `${prefix}.owner`) || ref.owner === q(url, `${prefix}.owner`)) &&
    (!q(url, `${prefix}.dseq`) || ref.dseq === q(url, `${prefix}.dseq`)) &&
    (!q(url, `${prefix}.provider`) || ref.provider === q(url, `${prefix}.provider`));

  return {
    async handle(method, url, body) {
      const path = url.pathname;
      let match: RegExpExecArray | null;
      if (method === "POST" && path === "/cosmos/tx/v1beta1/simulate")
        return broadcast(SimulateRequest.fromJSON(body).txBytes, true);
      if (method === "POST" && path === "/cosmos/tx/v1beta1/txs")
        return broadcast(BroadcastTxRequest.fromJSON(body).txBytes, false);
      if (method !== "GET")
        return { status: 405, body: { code: 12, message: `${method} ${path} is not served by the stand-in` } };
      if ((match = /^\/cosmos\/tx\/v1beta1\/txs\/([0-9A-Fa-f]+)$/.exec(path))) {
        const stored = mempool.included.get(match[1]!.toUpperCase());
        if (!stored) return notFound(`tx ${match[1]}`);
        return ok(
          GetTxResponse.toJSON(
            GetTxResponse.fromPartial({
              txResponse: {
                txhash: match[1]!.toUpperCase(),
                height: String(stored.height) as never,
                code: stored.code,
                codespace: stored.codespace,
                rawLog: stored.log,
                data: stored.data,
                gasWanted: String(stored.gasWanted) as never,
              },
            }),
          ),
        );
      }
      if (path === "/cosmos/base/tendermint/v1beta1/blocks/latest") {
        return ok(
          GetLatestBlockResponse.toJSON(
            GetLatestBlockResponse.fromPartial({
              block: { header: { height: String(chain.height) as never, chainId: options.chainId } },
            }),
          ),
        );
      }
      if ((match = /^\/cosmos\/auth\/v1beta1\/account_info\/([a-z0-9]+)$/.exec(path))) {
        const account = chain.accounts.get(match[1]!);
        if (!account) return notFound(`account ${match[1]}`);
        return ok(
          QueryAccountInfoResponse.toJSON(
            QueryAccountInfoResponse.fromPartial({
              info: {
                address: match[1]!,
                accountNumber: String(account.accountNumber) as never,
                sequence: String(account.sequence) as never,
              },
            }),
          ),
        );
      }
      if ((match = /^\/cosmos\/bank\/v1beta1\/balances\/([a-z0-9]+)$/.exec(path))) {
        const balances = chain.accounts.get(match[1]!)?.balances ?? { uakt: 0n, uact: 0n };
        return ok(
          QueryAllBalancesResponse.toJSON(
            QueryAllBalancesResponse.fromPartial({
              // Sorted by denom, zero balances left out, as x/bank answers.
              balances: (["uact", "uakt"] as const)
                .filter((denom) => balances[denom] > 0n)
                .map((denom) => ({ denom, amount: String(balances[denom]) })),
            }),
          ),
        );
      }
      if ((match = /^\/akash\/oracle\/v1\/aggregated_price\/([a-z]+)$/.exec(path))) {
        const micro = match[1] === "uakt" ? chain.aktPriceMicroUsd : match[1] === "uact" ? ACT_PRICE_MICRO_USD : 0n;
        if (micro === 0n) return notFound(`price of ${match[1]}`);
        const price = legacyDec(micro);
        return ok(
          QueryAggregatedPriceResponse.toJSON(
            QueryAggregatedPriceResponse.fromPartial({
              aggregatedPrice: {
                denom: match[1],
                twap: price,
                medianPrice: price,
                minPrice: price,
                maxPrice: price,
                timestamp: new Date(),
                numSources: 1,
              },
              priceHealth: { denom: match[1], isHealthy: true, hasMinSources: true, deviationOk: true },
            }),
          ),
        );
      }
      // x/deployment's params: the least deposit per denom CreateDeployment takes (ValidateDeposit).
      if (path === "/akash/deployment/v1beta4/params") {
        return ok(
          DeploymentQueryParamsResponse.toJSON(
            DeploymentQueryParamsResponse.fromPartial({
              params: {
                minDeposits: ["uakt", "uact"].map((denom) => ({ denom, amount: String(chain.minDeposit) })),
              },
            }),
          ),
        );
      }
      if (path === "/akash/bme/v1/params") {
        const params = BmeQueryParamsResponse.toJSON(
          BmeQueryParamsResponse.fromPartial({
            params: { mintSpreadBps: Number(BME_PARAMS.mintSpreadBps), settleSpreadBps: 0 },
          }),
        ) as { params: Record<string, unknown> };
        // min_mint is newer than this SDK's Params (node v2.1); the live chain answers with it.
        params.params.min_mint = [{ denom: "uact", amount: String(BME_PARAMS.minMintUact) }];
        return ok(params);
      }
      if (path === "/akash/deployment/v1beta4/deployments/info") {
        const deployment = chain.deployments.get(key(q(url, "id.owner"), q(url, "id.dseq")));
        if (!deployment) return notFound("deployment");
        return ok(
          QueryDeploymentResponse.toJSON(
            QueryDeploymentResponse.fromPartial({
              deployment: {
                id: { owner: deployment.owner, dseq: String(deployment.dseq) as never },
                state: deployment.state === "active" ? 1 : 2,
                hash: deployment.hash,
                createdAt: String(deployment.createdAt) as never,
              },
              escrowAccount: escrowAccountJson(chain, deployment),
            }),
          ),
        );
      }
      if (path === "/akash/market/v1beta5/bids/list") {
        const state = q(url, "filters.state");
        const bids = chain.bids.filter(
          (bid) => leaseFilter(url, "filters")(bid.ref) && (!state || bid.state === state),
        );
        return ok(QueryBidsResponse.toJSON(QueryBidsResponse.fromPartial({ bids: bids.map(bidJson) })));
      }
      if (path === "/akash/market/v1beta5/leases/list") {
        const leases = chain.leases.filter((lease) => leaseFilter(url, "filters")(lease.ref));
        return ok(QueryLeasesResponse.toJSON(QueryLeasesResponse.fromPartial({ leases: leases.map(leaseJson) })));
      }
      if (path === "/akash/market/v1beta5/leases/info") {
        const ref = {
          owner: q(url, "id.owner"),
          dseq: q(url, "id.dseq"),
          gseq: Number(q(url, "id.gseq")),
          oseq: Number(q(url, "id.oseq")),
          provider: q(url, "id.provider"),
          bseq: Number(q(url, "id.bseq") || 0),
        };
        const lease = chain.leases.find((l) => sameRef(l.ref, ref));
        if (!lease) return notFound("lease");
        return ok(QueryLeaseResponse.toJSON(QueryLeaseResponse.fromPartial(leaseJson(lease))));
      }
      if (path === "/akash/cert/v1/certificates/list") {
        // The SDK sends filter.owner, filter.state ("valid"/"revoked") and filter.serial when set.
        const certificates = [...chain.certificates.values()].filter(
          (c) =>
            (!q(url, "filter.owner") || c.owner === q(url, "filter.owner")) &&
            (!q(url, "filter.state") || c.state === q(url, "filter.state")) &&
            (!q(url, "filter.serial") || c.serial === q(url, "filter.serial")),
        );
        return ok(
          QueryCertificatesResponse.toJSON(
            QueryCertificatesResponse.fromPartial({
              certificates: certificates.map((c) => ({
                serial: c.serial,
                certificate: { state: c.state === "valid" ? 1 : 2, cert: c.cert, pubkey: c.pubkey },
              })),
            }),
          ),
        );
      }
      if (
        path === "/akash/audit/v1/audit/attributes/list" ||
        (match = /^\/akash\/audit\/v1\/audit\/attributes\/([a-z0-9]+)\/list$/.exec(path))
      ) {
        // x/audit: one entry per (provider, auditor), the attributes that auditor signed.
        const owner = path.endsWith("/audit/attributes/list") ? undefined : match?.[1];
        const audited = chain.providers
          .filter((p) => !owner || providerAddress(p.name) === owner)
          .flatMap((p) =>
            (p.auditedBy ?? []).map((auditor) => ({
              owner: providerAddress(p.name),
              auditor,
              attributes: publishedAttributes(p),
            })),
          );
        // One provider no auditor signed for: x/audit's ErrProviderNotFound (keeper/grpc_query.go).
        if (owner && audited.length === 0)
          return { status: 404, body: { code: 5, message: "invalid provider: address not found", details: [] } };
        return ok(AuditProvidersResponse.toJSON(AuditProvidersResponse.fromPartial({ providers: audited })));
      }
      if (path === "/akash/provider/v1beta4/providers") {
        return ok(
          QueryProvidersResponse.toJSON(
            QueryProvidersResponse.fromPartial({
              providers: chain.providers.map((provider) => ({
                owner: providerAddress(provider.name),
                hostUri: options.hostUriOf(provider),
                attributes: publishedAttributes(provider),
                info: { email: "", website: "" },
              })),
              pagination: { nextKey: new Uint8Array(), total: String(chain.providers.length) as never },
            }),
          ),
        );
      }
      if ((match = /^\/akash\/provider\/v1beta4\/providers\/([a-z0-9]+)$/.exec(path))) {
        const provider = chain.providers.find((p) => providerAddress(p.name) === match![1]);
        if (!provider) return notFound(`provider ${match[1]}`);
        return ok(
          QueryProviderResponse.toJSON(
            QueryProviderResponse.fromPartial({
              provider: {
                owner: match[1]!,
                hostUri: options.hostUriOf(provider),
                attributes: publishedAttributes(provider),
                info: { email: "", website: "" },
              },
            }),
          ),
        );
      }
      return { status: 501, body: { code: 12, message: `${path} is not served by the Akash stand-in` } };
    },
  };
}

/**
 * The deployment's escrow account as x/escrow reports it: `funds` as of the last settlement at
 * `settledAt`, what was `transferred` to providers. The stand-in settles a lease when it ends, so
 * while one runs its funds are the deposit and settledAt is the lease's start: a client works out
 * what is left as x/escrow's own settlement would (funds − price × blocks since settledAt).
 */
function escrowAccountJson(
  chain: StandInChain,
  deployment: { owner: string; dseq: bigint; escrow: bigint; escrowUakt: bigint; createdAt: bigint; state: string },
) {
  const leases = chain.leases.filter((l) => l.ref.owner === deployment.owner && l.ref.dseq === String(deployment.dseq));
  const running = leases.find((l) => l.state === "active");
  const transferred = leases.reduce((sum, l) => sum + l.paid, 0n);
  return {
    id: { scope: 1, xid: `${deployment.owner}/${deployment.dseq}` },
    state: {
      owner: deployment.owner,
      state: deployment.state === "active" ? 1 : 2,
      transferred: [{ denom: "uact", amount: legacyDec(transferred * 1_000_000n) }],
      settledAt: String(running?.createdAt ?? chain.height) as never,
      funds: [
        { denom: "uact", amount: legacyDec(deployment.escrow * 1_000_000n) },
        ...(deployment.escrowUakt > 0n
          ? [{ denom: "uakt", amount: legacyDec(deployment.escrowUakt * 1_000_000n) }]
          : []),
      ],
      deposits: [],
    },
  };
}

/** The chain's 18-decimal rendering of a decimal amount ("8" → "8.000000000000000000"). */
function decimal(amount: string): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  return `${whole}.${fraction.padEnd(18, "0")}`;
}

/** A micro-unit amount as a cosmos LegacyDec string (18 decimals), as prices are written in JSON. */
function legacyDec(micro: bigint): string {
  return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, "0")}000000000000`;
}
