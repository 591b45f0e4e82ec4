import { expect, test } from "@playwright/test";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { formatEth } from "../../src/lib/format.ts";
import { chainClient } from "./support/agents.ts";
import { openApp, seededAgents } from "./support/app.ts";
import { connectTestWallet, installFreshWallet } from "./support/devWallet.ts";

test.describe("errors read as sentences, and bad input never reaches the wallet", () => {
  test("an address that holds no agent says so instead of 'returned no data (0x)'", async ({ page }) => {
    const nobody = "0x000000000000000000000000000000000000dEaD";
    await openApp(page, `#/agent/${nobody}`);
    await expect(page.getByTestId("agent-error")).toHaveText(
      `No contract answered at ${nobody} on this chain: it is not a HEXS agent here, or the RPC in Settings points at another chain.`,
    );
  });

  test("a credit order beyond what an account can hold, or beyond the balance, is refused in the page", async ({
    page,
  }) => {
    const paid = seededAgents().find((agent) => agent.name === "StoryTeller Tiny")!;
    await installFreshWallet(page, "1");
    await openApp(page, `#/agent/${paid.agent}`);
    await connectTestWallet(page);
    const credits = page.getByLabel("Credits to buy");
    const buy = page.getByRole("button", { name: "Buy credits" });
    // The DAO journey may have changed its price: what fits is 2^80 − 1 wei of deposit at today's.
    const { pricePerCredit } = await chainClient().readContract({
      address: paid.agent,
      abi: agentAbi,
      functionName: "summary",
    });
    await credits.fill("1000000000000000000000000");
    await expect(page.getByTestId("order-problem")).toHaveText(
      `At most ${(2n ** 80n - 1n) / pricePerCredit} more credits fit in one account here.`,
    );
    await expect(buy).toBeDisabled();
    await credits.fill("20000");
    await expect(page.getByTestId("order-problem")).toHaveText(
      `That costs ${formatEth(20_000n * pricePerCredit)}, more than your balance of 1 ETH.`,
    );
    await expect(buy).toBeDisabled();
    await credits.fill("-5");
    await expect(page.getByTestId("order-problem")).toHaveText("Enter a whole number of credits, at least 1.");
    await credits.fill("10");
    await expect(page.getByTestId("order-problem")).toHaveCount(0);
    await expect(buy).toBeEnabled();
  });
});
