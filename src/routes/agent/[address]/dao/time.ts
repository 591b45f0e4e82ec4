const UNITS = [
  { seconds: 86_400, name: "day" },
  { seconds: 3_600, name: "hour" },
  { seconds: 60, name: "minute" },
  { seconds: 1, name: "second" },
] as const;

/** "7 days", "1 hour 30 minutes", "0 seconds": the two largest units of a duration. */
export function formatDuration(totalSeconds: bigint | number): string {
  let rest = Number(totalSeconds);
  const parts: string[] = [];
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.seconds);
    rest -= n * unit.seconds;
    if (n > 0 && parts.length < 2) parts.push(`${n} ${unit.name}${n === 1 ? "" : "s"}`);
  }
  return parts.join(" ") || "0 seconds";
}

/** When a vote ends, relative to the chain's clock (which the dev control may have moved). */
export function describeDeadline(deadline: bigint, now: bigint): string {
  const at = new Date(Number(deadline) * 1000).toLocaleString();
  if (deadline >= now) return `ends ${at} (in ${formatDuration(deadline - now)})`;
  return `ended ${at}`;
}
