import { describe, expect, it } from "vitest";
import { mainnet } from "viem/chains";
import { DevWalletError, DevWalletProvider } from "./devWallet.ts";
import { targetChain } from "./targetChain.ts";

const local = targetChain({ chainId: 31337, rpcUrl: "http://127.0.0.1:1" });

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe("DevWalletProvider", () => {
  it("refuses to exist on any chain but the local one", () => {
    expect(() => new DevWalletProvider(mainnet)).toThrow(DevWalletError);
  });

  it("holds the local chain's funded accounts, the first selected", async () => {
    const wallet = new DevWalletProvider(local, memoryStorage());
    expect(wallet.accounts).toHaveLength(10);
    expect(wallet.accounts[0]!.address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(await wallet.request({ method: "eth_requestAccounts" })).toEqual([wallet.accounts[0]!.address]);
    expect(await wallet.request({ method: "eth_chainId" })).toBe("0x7a69");
  });

  it("shows no account to a site until it connects, and none after the permission is revoked", async () => {
    const storage = memoryStorage();
    const wallet = new DevWalletProvider(local, storage);
    expect(await wallet.request({ method: "eth_accounts" })).toEqual([]);
    await wallet.request({ method: "eth_requestAccounts" });
    wallet.select(4);
    // A reload finds the permission and the account again, as an extension would.
    const reloaded = new DevWalletProvider(local, storage);
    expect(await reloaded.request({ method: "eth_accounts" })).toEqual([wallet.accounts[4]!.address]);
    await reloaded.request({ method: "wallet_revokePermissions", params: [{ eth_accounts: {} }] });
    expect(await new DevWalletProvider(local, storage).request({ method: "eth_accounts" })).toEqual([]);
  });

  it("announces a newly selected account to its listeners", async () => {
    const wallet = new DevWalletProvider(local, memoryStorage());
    const seen: unknown[] = [];
    wallet.on("accountsChanged", (accounts) => seen.push(accounts));
    await wallet.request({ method: "eth_requestAccounts" });
    wallet.select(2);
    expect(seen).toEqual([[wallet.accounts[2]!.address]]);
    expect(await wallet.request({ method: "eth_accounts" })).toEqual([wallet.accounts[2]!.address]);
    expect(() => wallet.select(10)).toThrow("No dev account #10");
  });

  it("refuses to switch to another chain", async () => {
    const wallet = new DevWalletProvider(local, memoryStorage());
    await expect(
      wallet.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x1" }] }),
    ).rejects.toMatchObject({ code: 4902 });
  });

  it("signs messages with the selected account's real key", async () => {
    const wallet = new DevWalletProvider(local, memoryStorage());
    const signature = await wallet.request({ method: "personal_sign", params: ["0x68690a", wallet.selected.address] });
    const { verifyMessage } = await import("viem");
    expect(
      await verifyMessage({
        address: wallet.selected.address,
        message: { raw: "0x68690a" },
        signature: signature as `0x${string}`,
      }),
    ).toBe(true);
  });
});
