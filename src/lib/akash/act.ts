// ACT, Akash's compute currency since its BME upgrade (node v2.0.0): deployments are priced and
// funded in uact only (an AKT deposit is refused), ACT is minted from AKT at the oracle's price
// (akash.bme.v1.MsgMintACT, executed at the next block, less a spread, at least a minimum) and
// cannot be sent between accounts. One ACT is one US dollar by design.
import { HexsError } from "../errors.ts";
import { parseDec } from "./cost.ts";
import { akashNode, query } from "./node.ts";

export const UACT = "uact";
export const UAKT = "uakt";
/** x/deployment's `min_deposits` for uact on mainnet. */
export const MIN_DEPOSIT_UACT = 500_000n;
/** x/bme's `min_mint` on mainnet (10 ACT), used where the node's params do not say. */
export const DEFAULT_MIN_MINT_UACT = 10_000_000n;

/** What a mint costs and gives, from the chain: AKT's price and x/bme's parameters. */
export interface MintTerms {
  /** AKT's oracle price in micro-USD (ACT is 1 000 000). */
  aktPriceMicroUsd: bigint;
  mintSpreadBps: bigint;
  minMintUact: bigint;
}

export interface Balances {
  uakt: bigint;
  uact: bigint;
}

export async function readBalances(restUrl: string, address: string): Promise<Balances> {
  const answer = await query(restUrl, () =>
    akashNode(restUrl).cosmos.bank.v1beta1.getAllBalances({ address, pagination: undefined }),
  );
  const of = (denom: string) => BigInt(answer.balances.find((coin) => coin.denom === denom)?.amount ?? "0");
  return { uakt: of(UAKT), uact: of(UACT) };
}

/** x/deployment's least deposit in uact for a new deployment (its `min_deposits`), or mainnet's when it names none. */
export async function readMinDepositUact(restUrl: string): Promise<bigint> {
  const { params } = await query(restUrl, () => akashNode(restUrl).akash.deployment.v1beta4.getParams({}));
  const uact = params?.minDeposits.find((coin) => coin.denom === UACT)?.amount;
  return uact ? BigInt(uact) : MIN_DEPOSIT_UACT;
}

export async function readMintTerms(restUrl: string): Promise<MintTerms> {
  const node = akashNode(restUrl);
  const [price, params] = await Promise.all([
    query(restUrl, () => node.akash.oracle.v1.getAggregatedPrice({ denom: UAKT })),
    query(restUrl, () => fetchParamsJson(restUrl)),
  ]);
  const twap = price.aggregatedPrice?.twap ?? "0";
  // A LegacyDec ("1.250000000000000000") in dollars; micro-USD keeps six decimals.
  const aktPriceMicroUsd = parseDec(twap) / 10n ** 12n;
  const minMint = params.min_mint?.find((coin) => coin.denom === UACT)?.amount;
  return {
    aktPriceMicroUsd,
    mintSpreadBps: BigInt(params.mint_spread_bps ?? 0),
    minMintUact: minMint ? BigInt(minMint) : DEFAULT_MIN_MINT_UACT,
  };
}

/** x/bme's params as the node's REST answers them; `min_mint` is newer than the SDK's types. */
async function fetchParamsJson(
  restUrl: string,
): Promise<{ mint_spread_bps?: number; min_mint?: { denom: string; amount: string }[] }> {
  const response = await fetch(`${restUrl.replace(/\/+$/, "")}/akash/bme/v1/params`);
  if (!response.ok) throw new Error(`the Akash node answered HTTP ${response.status} for x/bme's parameters`);
  const body = (await response.json()) as { params?: Record<string, unknown> };
  const params = body.params ?? {};
  return {
    mint_spread_bps: Number(params.mint_spread_bps ?? params.mintSpreadBps ?? 0),
    ...(Array.isArray(params.min_mint) ? { min_mint: params.min_mint as { denom: string; amount: string }[] } : {}),
  };
}

/** The ACT a burn of `uakt` gives (the mint less the spread), as x/bme computes it; 0 below the minimum. */
export function actForAkt(uakt: bigint, terms: MintTerms): bigint {
  const mint = (uakt * terms.aktPriceMicroUsd) / 1_000_000n;
  if (mint < terms.minMintUact) return 0n;
  return mint - (mint * terms.mintSpreadBps) / 10_000n;
}

/**
 * The AKT to burn for at least `uact` of ACT, and never less than the minimum mint: the smallest
 * amount whose mint, less the spread, covers it.
 */
export function aktForAct(uact: bigint, terms: MintTerms): bigint {
  if (terms.aktPriceMicroUsd <= 0n) throw new RangeError("AKT has no price on the chain's oracle");
  const wanted = uact > 0n ? uact : 0n;
  const keep = 10_000n - terms.mintSpreadBps;
  const mint = (wanted * 10_000n + keep - 1n) / keep;
  const target = mint > terms.minMintUact ? mint : terms.minMintUact;
  let uakt = (target * 1_000_000n + terms.aktPriceMicroUsd - 1n) / terms.aktPriceMicroUsd;
  while (actForAkt(uakt, terms) < wanted) uakt += 1n;
  return uakt;
}

/** "1.5 ACT" (or AKT) from micro-units. */
/** An amount typed in whole units with up to 6 decimals ("1.5") in micro units, or undefined. */
export function parseMicro(text: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  return match ? BigInt(match[1]!) * 1_000_000n + BigInt((match[2] ?? "").padEnd(6, "0")) : undefined;
}

export function formatMicro(amount: bigint, symbol: "ACT" | "AKT"): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const fraction = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / 1_000_000n}${fraction ? `.${fraction}` : ""} ${symbol}`;
}

/** "$1.23" from micro-USD, rounded to the cent. */
export function formatUsd(microUsd: bigint): string {
  const cents = (microUsd + 5_000n) / 10_000n;
  return `$${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

/** An ACT amount in US dollars (ACT is one dollar by design). */
export const usdOfAct = (uact: bigint) => formatUsd(uact);
/** An AKT amount in US dollars at the oracle's price. */
export const usdOfAkt = (uakt: bigint, terms: MintTerms) => formatUsd((uakt * terms.aktPriceMicroUsd) / 1_000_000n);

/**
 * A maximum price per block (uact) that providers of that class bid under, at ACT = $1 and about
 * 600 blocks an hour: CPU only ~$0.006/h, consumer GPUs ~$0.30/h, A100 ~$1.20/h, H100/H200 ~$2.40/h
 * (Akash Console's GPU pricing pages, 2026). Anything else with a GPU: the A100 figure.
 */
export function defaultMaxPriceUact(gpuModel: string): number {
  const model = gpuModel.trim().toLowerCase();
  if (!model) return 10;
  if (/^(rtx|gtx)?\d{4}|^t4$|^a10$|^l4$/.test(model)) return 500;
  if (/^(h100|h200|b200|gh200)/.test(model)) return 4_000;
  return 2_000;
}

/** About 600 blocks an hour on mainnet (6 s a block). */
export const BLOCKS_PER_HOUR = 600;

/** The most a run of `hours` costs at a maximum price of `maxPriceUact` per block, in uact, rounded up. */
export function runCostAtMost(maxPriceUact: number, hours: number): bigint {
  if (!(maxPriceUact >= 0) || !(hours >= 0)) return 0n;
  return BigInt(Math.ceil(maxPriceUact * hours * BLOCKS_PER_HOUR));
}

/** What a run needs from the account, and what to mint for it. */
export interface RunFunding {
  /** The deposit, or the run's expected cost when that is more (the rest tops the escrow up as it runs). */
  neededUact: bigint;
  /** ACT the account lacks for that: 0 when it holds enough. */
  shortfallUact: bigint;
  /** AKT to burn for the shortfall, or for the chain's minimum mint when nothing is short. */
  burnUakt: bigint;
}

export function runFunding(
  run: { depositUact: bigint; runCostUact: bigint },
  balanceUact: bigint,
  terms: MintTerms,
): RunFunding {
  const neededUact = run.runCostUact > run.depositUact ? run.runCostUact : run.depositUact;
  const shortfallUact = neededUact > balanceUact ? neededUact - balanceUact : 0n;
  return { neededUact, shortfallUact, burnUakt: aktForAct(shortfallUact, terms) };
}

const MINT_POLLS = 20;
const MINT_POLL_MS = 1_500;

/**
 * Waits until the account holds more ACT than `before` (x/bme executes a mint at the next
 * block), handing every read to `onBalances`; throws when none arrives within ~30 s: the chain
 * cancelled the mint (below its minimum, or refused at execution) and gave the AKT back.
 */
export async function waitForMintedAct(
  readBalancesNow: () => Promise<Balances>,
  before: bigint,
  onBalances: (balances: Balances) => void,
): Promise<void> {
  for (let tries = 0; tries < MINT_POLLS; tries++) {
    const balances = await readBalancesNow();
    onBalances(balances);
    if (balances.uact > before) return;
    await new Promise((resolve) => setTimeout(resolve, MINT_POLL_MS));
  }
  throw new HexsError("The mint was not credited: the chain cancelled it and returned the AKT", {
    details: `no ACT arrived within ${(MINT_POLLS * MINT_POLL_MS) / 1000} s`,
  });
}
