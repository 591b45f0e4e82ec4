// What a lease costs: its price per block (a decimal coin, 18 decimals on chain) times the
// blocks it ran. Fixed-point bigint arithmetic, so the number on chain and on screen agree.

const DECIMALS = 18n;
const SCALE = 10n ** DECIMALS;

/** Parses a decimal string ("12.5", "0.000123") into an 18-decimal fixed-point bigint. */
export function parseDec(amount: string): bigint {
  const match = /^(\d+)(?:\.(\d{0,18})\d*)?$/.exec(amount.trim());
  if (!match) throw new RangeError(`not a decimal amount: "${amount}"`);
  const [, whole = "0", fraction = ""] = match;
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(Number(DECIMALS), "0"));
}

/** Cost in the smallest unit (uact), rounded up: what the escrow pays for `blocks` blocks. */
export function leaseCost(pricePerBlock: string, blocks: bigint | number): bigint {
  const total = parseDec(pricePerBlock) * BigInt(blocks);
  return (total + SCALE - 1n) / SCALE;
}

/** Blocks a lease ran: from its creation to its close (or to `now` while it is still open). */
export function leaseBlocks(createdAt: bigint | number, endedAt: bigint | number): bigint {
  const blocks = BigInt(endedAt) - BigInt(createdAt);
  return blocks > 0n ? blocks : 0n;
}

/** Estimated cost for a duration, from the average block time (about 6 s on mainnet). */
export function estimateCost(pricePerBlock: string, seconds: number, blockSeconds = 6): bigint {
  return leaseCost(pricePerBlock, Math.ceil(seconds / blockSeconds));
}

/** The whole units of a decimal coin amount, rounded down (what can still be paid out). */
export function wholeUnits(amount: string): bigint {
  return parseDec(amount) / SCALE;
}

/**
 * What a deployment's escrow holds now and how long it lasts at `pricePerBlock`: x/escrow's
 * settlement worked out ahead (funds as of `settledAt`, minus the price of every block since),
 * as Akash Console shows a deployment's balance and time left.
 */
export function escrowLeft(
  escrow: { fundsUact: bigint; settledAt: bigint },
  height: bigint,
  pricePerBlock: string,
): { remainingUact: bigint; blocksLeft: bigint | undefined } {
  const owed = leaseCost(pricePerBlock, leaseBlocks(escrow.settledAt, height));
  const remainingUact = escrow.fundsUact > owed ? escrow.fundsUact - owed : 0n;
  const perBlock = parseDec(pricePerBlock);
  return { remainingUact, blocksLeft: perBlock === 0n ? undefined : (remainingUact * SCALE) / perBlock };
}
