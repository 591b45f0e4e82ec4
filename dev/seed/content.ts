// What the demo marketplace is made of: the caller supplies every CID (the IPFS layer pins the
// real model cards, weights, data sets and metrics), the seed supplies only the on-chain activity.

/** A version published after the agent's creation. */
export interface SeedVersionContent {
  weightsCid: string;
  datasetCid: string;
  metricsCid: string;
}

/** One demo agent's content. */
export interface SeedAgentContent {
  name: string;
  modelCardCid: string;
  /** Hugging Face `org/name` of the base model. */
  baseModel: string;
  /** Hugging Face revision (commit sha or branch) of the base model. */
  baseModelRevision: string;
  /** Weights of version 0, and the data set and metrics it was trained and evaluated with. */
  weightsCid: string;
  datasetCid: string;
  metricsCid: string;
  /** Versions to publish after creation, in order. */
  versions?: SeedVersionContent[];
  /** The agent's inference gateway URL; empty when none runs. */
  endpoint?: string;
}

/**
 * Content for at least six agents. The seed gives them roles by position (see ROLES in
 * seedMarketplace.ts): 0 paid with the open proposal, 1 free, 2 paid and derived from 0,
 * 3 paid and listed for sale, 4 free, 5 paid; further agents repeat roles 1, 3, 4 and 5.
 */
export interface SeedContent {
  agents: SeedAgentContent[];
}
