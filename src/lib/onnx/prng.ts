/**
 * A small seeded pseudo-random generator (mulberry32), shared by sampling and the model trainer
 * so that "same seed, same tokens" holds in the browser, in Node and in training alike.
 *
 * NOTE: not cryptographic. It exists for reproducibility, never for secrets.
 */
export interface Prng {
  /** The next value as an unsigned 32-bit integer. */
  nextUint32(): number;
  /** The next value in [0, 1), with 32 bits of randomness. */
  nextFloat(): number;
}

/** Creates a generator from a seed; any finite number is accepted and reduced to 32 bits. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { nextUint32, nextFloat: () => nextUint32() / 4294967296 };
}

/** An integer in [0, n) drawn from `rng`. */
export function randomInt(rng: Prng, n: number): number {
  return Math.floor(rng.nextFloat() * n);
}

/** A standard normal sample (Box–Muller), used to initialise weights. */
export function randomNormal(rng: Prng): number {
  const u = 1 - rng.nextFloat(); // in (0, 1], so the log is finite
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
