// Decodes the factory's listing words (contracts/libraries/Listing.sol): one word per agent with
// what a marketplace card shows and sorts by. Amounts are 32-bit floats (8-bit exponent, 24-bit
// mantissa), within 6 × 10⁻⁸ of the value; the agent's own page reads exact figures.

export interface ListingFigures {
  score: bigint;
  engagement: bigint;
  popularity: bigint;
  rating: bigint;
  members: bigint;
  calls: bigint;
  raters: bigint;
  /** Weighted average rating in stars, undefined with no rating. */
  averageRating: number | undefined;
  pricePerCredit: bigint;
  salePrice: bigint;
  mode: 0 | 1;
  versionCount: bigint;
}

const bits = (word: bigint, from: number, width: number) => (word >> BigInt(from)) & ((1n << BigInt(width)) - 1n);

/** A 32-bit listing float back to the integer it stands for (rounded down to its 24 significant bits). */
export function fromFloat(float: bigint): bigint {
  return bits(float, 0, 24) << bits(float, 24, 8);
}

export function decodeListing(word: bigint): ListingFigures {
  const centis = bits(word, 144, 10);
  return {
    score: bits(word, 0, 14),
    engagement: bits(word, 14, 14),
    popularity: bits(word, 28, 14),
    rating: bits(word, 42, 14),
    members: bits(word, 56, 32),
    calls: fromFloat(bits(word, 88, 32)),
    raters: bits(word, 120, 24),
    averageRating: centis === 0n ? undefined : Number(centis) / 100,
    pricePerCredit: fromFloat(bits(word, 154, 32)),
    salePrice: fromFloat(bits(word, 186, 32)),
    mode: bits(word, 218, 1) === 1n ? 1 : 0,
    versionCount: bits(word, 219, 16),
  };
}
