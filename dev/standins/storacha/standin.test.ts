import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { packFile } from "../../../src/lib/ipfs/car.ts";
import { startStorachaStandIn, type StorachaStandIn } from "./server.ts";
import { standInClient } from "./testing.ts";

// The unmodified @storacha/client against the stand-in, configured only with its URL, DID and
// receipts endpoint: every step below crosses HTTP on 127.0.0.1 and runs Storacha's service code.

let standIn: StorachaStandIn;
const logged: string[] = [];

beforeAll(async () => {
  standIn = await startStorachaStandIn({ blockedEmails: ["mallory@example.com"], log: (line) => logged.push(line) });
});
afterAll(async () => {
  await standIn?.stop();
});

describe("Storacha stand-in", () => {
  it("logs in by email (confirming the link itself), grants a plan, and stores an uploaded CAR in a new space", async () => {
    const client = await standInClient(standIn);
    const account = await client.login("ada@example.com");
    expect(account.did()).toBe("did:mailto:example.com:ada");
    expect(logged).toContain("no email sent (stand-in): confirming ada@example.com's login itself");
    await account.plan.wait();

    // Provisioned to the account, and the stand-in (as gateway) authorized to serve it.
    const space = await client.createSpace("weights", { account });
    await client.setCurrentSpace(space.did());
    const car = await packFile(new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251));
    const root = await client.uploadCAR(car.blob());

    expect(root.toString()).toBe(car.root.toString());
    const { uploadTable } = standIn.service.context;
    expect(await uploadTable.exists(space.did(), root)).toEqual({ ok: true });
    const listed = await client.capability.upload.list();
    expect(listed.results.map((upload) => upload.root.toString())).toEqual([car.root.toString()]);
  });

  it("still indexes uploads long after it started (its claim delegations do not expire)", async () => {
    const client = await standInClient(standIn);
    const account = await client.login("linus@example.com");
    await account.plan.wait();
    const space = await client.createSpace("later", { account });
    await client.setCurrentSpace(space.did());
    // Past ucanto's default 30 s delegation lifetime, as a stand-in under `npm start` soon is.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10 * 60_000 });
    try {
      const car = await packFile(new Uint8Array(4096).fill(3));
      expect((await client.uploadCAR(car.blob())).toString()).toBe(car.root.toString());
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers receipts of executed tasks only, as a CAR", async () => {
    const unknown = "bafyreibo6nqtvp67daj7dkmeb5c2n6bg5bunxdmxq3lghtp3pmjtzpzfma";
    expect((await fetch(`${standIn.receiptsUrl}${unknown}`)).status).toBe(404);
    expect((await fetch(`${standIn.receiptsUrl}not-a-cid`)).status).toBe(400);
  });

  it("refuses the login of a blocked account, as the real service does", async () => {
    const client = await standInClient(standIn);
    await expect(client.login("mallory@example.com")).rejects.toThrow(/blocked/);
  });

  it("refuses an upload to a space no account provisioned", async () => {
    const client = await standInClient(standIn);
    const space = await client.createSpace("unpaid", { skipGatewayAuthorization: true });
    await client.addSpace(await space.createAuthorization(client));
    await client.setCurrentSpace(space.did());
    const car = await packFile(new Uint8Array(1024).fill(1));
    const refused: unknown = await client.uploadCAR(car.blob()).catch((e: unknown) => e);
    if (!(refused instanceof Error)) throw new Error(`uploaded: ${String(refused)}`);
    expect(refused.message).toBe("failed space/blob/add invocation");
    expect((refused.cause as Error).message).toBe(`${space.did()} has no storage provider`);
    expect(await standIn.service.context.uploadTable.exists(space.did(), car.root)).toEqual({ ok: false });
  });

  it("rejects a validation link that carries no confirmation", async () => {
    const answer = await fetch(`${standIn.url}/validate-email?ucan=garbage&mode=authorize`);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(/^login not confirmed/);
  });
});

describe("Storacha stand-in without automatic confirmation", () => {
  it("completes the login when the logged link is opened", async () => {
    const lines: string[] = [];
    const manual = await startStorachaStandIn({ autoConfirmLogin: false, log: (line) => lines.push(line) });
    try {
      const client = await standInClient(manual);
      const login = client.login("grace@example.com");
      const link = await waitFor(() => lines.join("\n").match(/opening (http:\/\/\S+)/)?.[1]);
      expect(link.startsWith(`${manual.url}/validate-email?ucan=`)).toBe(true);
      const opened = await fetch(link);
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain("did:mailto:example.com:grace");
      expect((await login).did()).toBe("did:mailto:example.com:grace");
    } finally {
      await manual.stop();
    }
  });
});

async function waitFor<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
