/** One point of a chart: when (unix seconds) and the value after that event. */
export interface ActivityPoint {
  time: number;
  value: number;
}

export interface UsageEvent {
  time: number;
  /** Credits charged by one settled line (what the ledger counts as calls). */
  charged: bigint;
}

export interface RatingEvent {
  time: number;
  account: string;
  stars: number;
}

/** Total calls after each settlement, in time order. */
export function cumulativeUsage(events: readonly UsageEvent[]): ActivityPoint[] {
  let total = 0n;
  return [...events]
    .sort((a, b) => a.time - b.time)
    .map((event) => {
      total += event.charged;
      return { time: event.time, value: Number(total) };
    });
}

/**
 * The average rating after each rating, in time order. A member's new rating replaces their
 * old one, as the ledger does, so the average is over each member's latest stars.
 */
export function ratingHistory(events: readonly RatingEvent[]): ActivityPoint[] {
  const latest = new Map<string, number>();
  return [...events]
    .sort((a, b) => a.time - b.time)
    .map((event) => {
      latest.set(event.account.toLowerCase(), event.stars);
      const stars = [...latest.values()];
      return { time: event.time, value: stars.reduce((sum, s) => sum + s, 0) / stars.length };
    });
}
