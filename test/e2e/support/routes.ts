import type { Page } from "@playwright/test";
import { seededAgents } from "./app.ts";

/** Routes to audit, with what proves each has finished loading. */
export function routes() {
  const agent = seededAgents()[0]!;
  return [
    { route: "#/", ready: (page: Page) => page.getByTestId("agent-card").first() },
    {
      route: `#/agent/${agent.agent}`,
      ready: (page: Page) => page.getByTestId("model-card").getByRole("heading").nth(1),
    },
    { route: `#/agent/${agent.agent}/dao`, ready: (page: Page) => page.getByRole("heading", { level: 1 }) },
    {
      route: `#/agent/${agent.agent}/serve`,
      ready: (page: Page) => page.getByRole("heading", { name: "1. The operator key" }),
    },
    { route: "#/create", ready: (page: Page) => page.getByRole("heading", { name: "Publish an agent" }) },
    { route: "#/train", ready: (page: Page) => page.getByRole("heading", { level: 1 }) },
    { route: "#/playground", ready: (page: Page) => page.getByRole("heading", { level: 1 }) },
    { route: "#/account", ready: (page: Page) => page.getByRole("heading", { name: "Send ETH" }) },
    { route: "#/settings", ready: (page: Page) => page.getByRole("button", { name: "Save and reload" }) },
  ];
}
