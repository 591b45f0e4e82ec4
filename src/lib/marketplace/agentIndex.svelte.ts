import { readAgentCount, streamAgentCards } from "../chain/readAgentSummaries.ts";
import { AgentIndexReader, type AgentIndexView } from "./agentIndexReader.ts";

let view = $state<AgentIndexView>();
const reader = new AgentIndexReader((next) => (view = next), streamAgentCards, readAgentCount);

/** The session's one registry index, shared by every visit to the marketplace. */
export const agentIndex = {
  get view(): AgentIndexView | undefined {
    return view;
  },
  ensureFresh: reader.ensureFresh.bind(reader),
};
