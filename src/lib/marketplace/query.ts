/** What the marketplace needs of an agent to filter, sort and show it (a subset of IAgent.Summary). */
export interface ListedAgent {
  agent: `0x${string}`;
  name: string;
  baseModel: string;
  /** Position in the factory's registry: higher is newer. */
  index: number;
  mode: number;
  pricePerCredit: bigint;
  score: bigint;
  calls: bigint;
  members: bigint;
  tags?: readonly string[];
}

export const SORT_KEYS = ["score", "newest", "price", "usage"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface MarketplaceQuery {
  search: string;
  sort: SortKey;
  page: number;
  pageSize: number;
}

/** Case-insensitive match of every word against the name, the base model and the tags. */
export function matchesSearch(agent: ListedAgent, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [agent.name, agent.baseModel, ...(agent.tags ?? [])].join(" ").toLowerCase();
  return words.every((word) => haystack.includes(word));
}

const compare = (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1);

/** Orders agents; ties fall back to newest first so the order is stable. */
export function sortAgents(agents: readonly ListedAgent[], sort: SortKey): ListedAgent[] {
  const newest = (a: ListedAgent, b: ListedAgent) => b.index - a.index;
  const by: Record<SortKey, (a: ListedAgent, b: ListedAgent) => number> = {
    score: (a, b) => compare(b.score, a.score) || newest(a, b),
    newest,
    // Cheapest first, free agents before any paid one.
    price: (a, b) => compare(effectivePrice(a), effectivePrice(b)) || newest(a, b),
    usage: (a, b) => compare(b.calls, a.calls) || newest(a, b),
  };
  return [...agents].sort(by[sort]);
}

function effectivePrice(agent: ListedAgent): bigint {
  return agent.mode === 0 ? 0n : agent.pricePerCredit;
}

export interface QueryResult<T extends ListedAgent> {
  items: T[];
  total: number;
  pages: number;
  page: number;
}

export function runQuery<T extends ListedAgent>(agents: readonly T[], query: MarketplaceQuery): QueryResult<T> {
  const matching = sortAgents(
    agents.filter((a) => matchesSearch(a, query.search)),
    query.sort,
  ) as T[];
  const pages = Math.max(1, Math.ceil(matching.length / query.pageSize));
  const page = Math.min(Math.max(1, query.page), pages);
  const start = (page - 1) * query.pageSize;
  return { items: matching.slice(start, start + query.pageSize), total: matching.length, pages, page };
}
