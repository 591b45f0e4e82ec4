import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { formatEther, parseEther } from "viem";
import { agentDAOAbi } from "../../src/lib/contracts/abis.ts";
import { openApp, seededAgents } from "./support/app.ts";
import { chainClient, createFreeAgent, devAccount, devAccountIndexOf, pinJson } from "./support/agents.ts";
import { connectDevWallet } from "./support/devWallet.ts";

/** The seed leaves one proposal Active on agent 0 (a price change); its description is in the summary. */
function seededProposal(): { agent: string; description: string } {
  const seed = JSON.parse(process.env.HEXS_E2E_SEED ?? "{}") as { proposal?: { agent: string; description: string } };
  if (!seed.proposal) throw new Error("the seed has no open proposal");
  return seed.proposal;
}

/** The seed leaves a passed proposal waiting in the timelock queue of another agent's DAO. */
function seededQueuedProposal(): { agent: string; dao: `0x${string}`; proposalId: string; description: string } {
  const seed = JSON.parse(process.env.HEXS_E2E_SEED ?? "{}") as {
    queued?: { agent: string; dao: `0x${string}`; proposalId: string; description: string };
  };
  if (!seed.queued) throw new Error("the seed has no queued proposal");
  return seed.queued;
}

function storyTellerTiny() {
  const agent = seededAgents().find((a) => a.name === "StoryTeller Tiny");
  if (!agent) throw new Error("the seed has no agent named StoryTeller Tiny");
  return agent;
}

test.describe("a DAO member", () => {
  test("proposes a price change, votes, advances time, executes it and sees the new price", async ({ page }) => {
    test.setTimeout(90_000);
    const tiny = storyTellerTiny();
    const seeded = seededProposal();
    expect(seeded.agent.toLowerCase()).toBe(tiny.agent.toLowerCase());

    await openApp(page, `#/agent/${tiny.agent}/dao`);
    await expect(page.getByRole("heading", { level: 1, name: "DAO of StoryTeller Tiny" })).toBeVisible();

    // Members with their voting power: the owner (10 000 shares + member weight) first.
    const rows = page.getByTestId("member-row");
    await expect(rows.first()).toContainText(tiny.owner.slice(0, 6));
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId("treasury")).toContainText("ETH");

    // The seeded proposal, listed from the governor's on-chain enumeration, with its decoded action.
    const open = page.getByTestId("proposal").filter({ hasText: seeded.description });
    await expect(open).toContainText("Set the price to 0.00008 ETH per credit");
    // Its proposer's co-member, the creator, voted for it in the seed: every vote cast is For.
    await expect(open.getByTestId("proposal-votes")).toContainText("(100%)");

    await connectDevWallet(page, devAccountIndexOf(tiny.owner));

    // Fund the treasury, which only a proposal can spend.
    const before = await chainClient().getBalance({ address: tiny.dao });
    await page.getByLabel("Deposit (ETH)").fill("0.5");
    await page.getByRole("button", { name: "Deposit to the treasury" }).click();
    await expect(page.getByTestId("treasury")).toContainText(`${formatEther(before + 5n * 10n ** 17n)} ETH`);

    // Propose a new price from the template.
    const description = `Raise the price to 0.0002 ETH (e2e ${Date.now()})`;
    await page.getByLabel("Template").selectOption({ label: "Change the price" });
    await page.getByLabel("New price per credit (ETH)").fill("0.0002");
    await page.getByLabel(/^Description/).fill(description);
    await expect(page.getByTestId("proposal-preview")).toContainText("Set the price to 0.0002 ETH per credit");
    await page.getByRole("button", { name: "Propose" }).click();

    const mine = page.getByTestId("proposal").filter({ hasText: description });
    await expect(mine).toContainText("Set the price to 0.0002 ETH per credit");
    await expect(mine.getByTestId("proposal-state")).toHaveText(/Pending|Active/);
    await openVote(page, mine);

    // Vote for it; a second vote is refused by the governor and the decoded error is shown.
    const ballot = mine.getByRole("group", { name: "Your vote" });
    await ballot.getByLabel("For").check();
    await ballot.getByRole("button", { name: "Vote" }).click();
    await expect(mine.getByTestId("has-voted")).toBeVisible();
    await expect(mine.getByTestId("proposal-votes")).toContainText("(100%)");
    // As on Tally: a bar per option and a quorum meter, full once quorum is reached.
    await expect(mine.getByTestId("proposal-votes")).toContainText("needed (reached)");
    const meter = mine.getByTestId("quorum-meter");
    expect(Number(await meter.getAttribute("value"))).toBeGreaterThanOrEqual(Number(await meter.getAttribute("max")));
    await ballot.getByRole("button", { name: "Vote" }).click();
    await expect(ballot.getByTestId("tx-status")).toContainText(
      `You already voted on this proposal. (GovernorAlreadyCastVote(${tiny.owner}))`,
    );

    // Move the local chain past the voting period, queue it, wait out the timelock, then execute.
    await page.getByLabel(/^Seconds to advance/).fill(String(7 * 24 * 60 * 60 + 1));
    await page.getByRole("button", { name: "Advance time and mine a block" }).click();
    await expect(page.getByTestId("dev-time-status")).toContainText("Mined a block");
    await expect(mine.getByTestId("proposal-state")).toHaveText("Succeeded");
    await queueAndExecute(page, mine);

    // The agent page shows the price the DAO set.
    await page.getByRole("link", { name: "Back to the agent" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "StoryTeller Tiny" })).toBeVisible();
    await expect(page.locator("header.agent")).toContainText("0.0002 ETH per credit");
  });

  test("moves treasury funds only through an executed proposal", async ({ page }) => {
    test.setTimeout(90_000);
    const tiny = storyTellerTiny();
    const recipient = devAccount(7).address;
    await openApp(page, `#/agent/${tiny.agent}/dao`);
    await connectDevWallet(page, devAccountIndexOf(tiny.owner));

    const start = await chainClient().getBalance({ address: tiny.dao });
    await page.getByLabel("Deposit (ETH)").fill("1");
    await page.getByRole("button", { name: "Deposit to the treasury" }).click();
    await expect(page.getByTestId("treasury")).toContainText(`${formatEther(start + parseEther("1"))} ETH`);

    await page.getByLabel("Template").selectOption({ label: "Transfer treasury funds" });
    await page.getByLabel("Recipient").fill(recipient);
    await page.getByLabel("Amount (ETH)").fill("1");
    const description = `Pay 1 ETH to a contributor (e2e ${Date.now()})`;
    await page.getByLabel(/^Description/).fill(description);
    await expect(page.getByTestId("proposal-preview")).toContainText(`Send 1 ETH to ${recipient}`);
    await page.getByRole("button", { name: "Propose" }).click();

    const proposal = page.getByTestId("proposal").filter({ hasText: description });
    await expect(proposal.getByTestId("proposal-state")).toHaveText(/Pending|Active/);
    await openVote(page, proposal);
    await proposal.getByRole("group", { name: "Your vote" }).getByRole("button", { name: "Vote" }).click();
    await expect(proposal.getByTestId("has-voted")).toBeVisible();
    // Executing before the vote ends is not offered; the funds stay put.
    await expect(proposal.getByRole("button", { name: "Execute" })).toHaveCount(0);

    const received = await chainClient().getBalance({ address: recipient });
    await page.getByLabel(/^Seconds to advance/).fill(String(7 * 24 * 60 * 60 + 1));
    await page.getByRole("button", { name: "Advance time and mine a block" }).click();
    await queueAndExecute(page, proposal);
    await expect(page.getByTestId("treasury")).toContainText(`${formatEther(start)} ETH`);
    expect(await chainClient().getBalance({ address: recipient })).toBe(received + parseEther("1"));
  });

  test("accepts a version contributed by someone else, minting the contributor's shares", async ({ page }) => {
    test.setTimeout(90_000);
    const card = await pinJson({ schema: "hexs.model-card/1", metadata: { license: "mit" }, readme: "# Open model" });
    // A fresh agent (owner: dev account #9, one-hour votes), so the seeded agents' weights stay as they are.
    const agent = await createFreeAgent({ name: "Open Contributions", modelCardCid: card });
    const contributor = devAccount(6).address;
    await openApp(page, `#/agent/${agent}/dao`);
    await connectDevWallet(page, 9);
    await expect(page.getByTestId("member-row")).toHaveCount(1);
    // The time control is prefilled with one second past this DAO's voting period (one hour).
    const seconds = page.getByLabel(/^Seconds to advance/);
    await expect(seconds).toHaveValue("3601");
    // Proposing counts the votes held one second ago, before this agent existed: let a second pass.
    await seconds.fill("1");
    await page.getByRole("button", { name: "Advance time and mine a block" }).click();
    await expect(page.getByTestId("dev-time-status")).toContainText("Mined a block");

    await page.getByLabel("Template").selectOption({ label: "Accept a contributed version" });
    await page.getByLabel("Weights CID").fill(card);
    await page.getByLabel("Contributor (receives the shares)").fill(contributor);
    await page.getByLabel("Dataset CID").fill(card);
    await expect(page.getByTestId("proposal-preview")).toContainText(
      `Accept version ${card} contributed by ${contributor}`,
    );
    await page.getByRole("button", { name: "Propose" }).click();

    const proposal = page.getByTestId("proposal").first();
    await expect(proposal).toContainText(`Accept version ${card} of Open Contributions contributed by ${contributor}`);
    await openVote(page, proposal);
    await proposal.getByRole("group", { name: "Your vote" }).getByRole("button", { name: "Vote" }).click();
    await expect(proposal.getByTestId("has-voted")).toBeVisible();
    await seconds.fill("3601");
    await page.getByRole("button", { name: "Advance time and mine a block" }).click();
    await queueAndExecute(page, proposal);

    // The contributor became a member holding newly minted shares, so it votes from now on.
    await expect(page.getByTestId("member-row")).toHaveCount(2);
    const shares = page
      .getByTestId("member-row")
      .filter({ hasText: contributor.slice(0, 6) })
      .locator("td")
      .nth(1);
    await expect(shares).not.toHaveText("0");
    await page.getByRole("link", { name: "Back to the agent" }).click();
    await expect(page.getByTestId("versions").locator("li")).toHaveCount(2);
    await expect(page.getByTestId("versions").locator("li").nth(1)).toContainText(contributor.slice(0, 6));
  });

  test("shows the seeded proposal waiting in its timelock, with its ETA, and runs it only from then", async ({
    page,
  }) => {
    const queued = seededQueuedProposal();
    const agent = seededAgents().find((a) => a.agent.toLowerCase() === queued.agent.toLowerCase())!;
    await openApp(page, `#/agent/${agent.agent}/dao`);
    await connectDevWallet(page, devAccountIndexOf(agent.owner));
    const proposal = page.getByTestId("proposal").filter({ hasText: queued.description });
    await expect(proposal.getByTestId("proposal-state")).toHaveText("Queued");
    await expect(proposal.getByTestId("proposal-eta")).toContainText("executable from");
    const client = chainClient();
    const eta = await client.readContract({
      address: queued.dao,
      abi: agentDAOAbi,
      functionName: "proposalEta",
      args: [BigInt(queued.proposalId)],
    });
    const { timestamp } = await client.getBlock();
    if (eta > timestamp) {
      await expect(proposal.getByRole("button", { name: "Execute" })).toHaveCount(0);
      await page.getByLabel(/^Seconds to advance/).fill(String(eta - timestamp + 1n));
      await page.getByRole("button", { name: "Advance time and mine a block" }).click();
    }
    await proposal.getByRole("button", { name: "Execute" }).click();
    await expect(proposal.getByTestId("proposal-state")).toHaveText("Executed");
  });

  test("the DAO page has no serious or critical accessibility violation", async ({ page }) => {
    const tiny = storyTellerTiny();
    await openApp(page, `#/agent/${tiny.agent}/dao`);
    await connectDevWallet(page, 5);
    await expect(page.getByTestId("proposal").first()).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
});

/**
 * A passed proposal goes into the DAO's timelock: nothing runs it before its ETA, two days on.
 * Queue it, see that Execute is not offered yet, move the chain past the ETA and execute.
 */
async function queueAndExecute(page: Page, proposal: ReturnType<Page["getByTestId"]>): Promise<void> {
  await proposal.getByRole("button", { name: "Queue" }).click();
  await expect(proposal.getByTestId("proposal-state")).toHaveText("Queued");
  await expect(proposal.getByTestId("proposal-eta")).toContainText("executable from");
  await expect(proposal.getByRole("button", { name: "Execute" })).toHaveCount(0);
  await page.getByLabel(/^Seconds to advance/).fill(String(2 * 24 * 60 * 60 + 1));
  await page.getByRole("button", { name: "Advance time and mine a block" }).click();
  await proposal.getByRole("button", { name: "Execute" }).click();
  await expect(proposal.getByTestId("proposal-state")).toHaveText("Executed");
}

/**
 * With no voting delay a new proposal becomes Active once a block is mined after its snapshot;
 * on an idle local chain that block may not exist yet, so mine one without moving time.
 */
async function openVote(page: Page, proposal: ReturnType<Page["getByTestId"]>): Promise<void> {
  if ((await proposal.getByTestId("proposal-state").textContent()) === "Pending") {
    await page.getByLabel(/^Seconds to advance/).fill("0");
    await page.getByRole("button", { name: "Advance time and mine a block" }).click();
  }
  await expect(proposal.getByTestId("proposal-state")).toHaveText("Active");
}
