import type { Page } from "@playwright/test";
import {
  createPublicClient,
  createWalletClient,
  hexToBigInt,
  http,
  numberToHex,
  parseEther,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

type Reply = { result: unknown } | { error: { code: number; message: string } };

const REJECTED = { error: { code: 4001, message: "User rejected the request." } };

/**
 * A browser wallet for tests that behaves like an extension: the page finds it through an
 * EIP-6963 announcement, and every request crosses into this test process, where a viem
 * account with a fresh key really signs. Tests can make it refuse, or sit on another chain.
 */
export class TestWallet {
  readonly account: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey());
  chainId: number = hardhat.id;
  rejectConnection = false;
  rejectTransactions = false;
  sentTransactions = 0;
  #connected = false;
  #page: Page | undefined;
  readonly #rpcUrl: string;
  readonly #public;

  constructor(rpcUrl: string) {
    this.#rpcUrl = rpcUrl;
    this.#public = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
  }

  /** Gives the wallet's account `eth` on the local chain. */
  async fund(eth = "100"): Promise<void> {
    await this.#public.request({
      method: "hardhat_setBalance" as never,
      params: [this.account.address, numberToHex(parseEther(eth))] as never,
    });
  }

  async install(page: Page): Promise<void> {
    this.#page = page;
    await page.exposeFunction("__hexsTestWalletRequest", (method: string, params: unknown[]) =>
      this.#handle(method, params).catch((e: unknown) => ({ error: { code: -32603, message: String(e) } })),
    );
    await page.addInitScript(announceTestWallet);
  }

  async #handle(method: string, params: unknown[]): Promise<Reply> {
    switch (method) {
      case "eth_requestAccounts":
      case "wallet_requestPermissions":
        if (this.rejectConnection) return REJECTED;
        this.#connected = true;
        return {
          result: method === "eth_requestAccounts" ? [this.account.address] : [{ parentCapability: "eth_accounts" }],
        };
      case "eth_accounts":
        return { result: this.#connected ? [this.account.address] : [] };
      case "eth_chainId":
        return { result: numberToHex(this.chainId) };
      case "wallet_switchEthereumChain": {
        this.chainId = Number((params[0] as { chainId: Hex }).chainId);
        await this.#page?.evaluate(
          (id) => window.__hexsTestWalletEmit?.("chainChanged", id),
          numberToHex(this.chainId),
        );
        return { result: null };
      }
      case "eth_sendTransaction": {
        if (this.rejectTransactions) return REJECTED;
        const tx = params[0] as { to?: Hex; data?: Hex; value?: Hex; gas?: Hex };
        const wallet = createWalletClient({ account: this.account, chain: hardhat, transport: http(this.#rpcUrl) });
        const hash = await wallet.sendTransaction({
          to: tx.to,
          data: tx.data,
          value: tx.value ? hexToBigInt(tx.value) : undefined,
          gas: tx.gas ? hexToBigInt(tx.gas) : undefined,
        });
        this.sentTransactions += 1;
        return { result: hash };
      }
      default:
        return { result: await this.#public.request({ method, params } as never) };
    }
  }
}

declare global {
  interface Window {
    __hexsTestWalletRequest?: (method: string, params: unknown[]) => Promise<Reply>;
    __hexsTestWalletEmit?: (event: string, value: unknown) => void;
  }
}

/** Runs in the page before any of its scripts: the provider half of the wallet. */
function announceTestWallet() {
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const provider = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      const reply = await window.__hexsTestWalletRequest!(method, params ?? []);
      if ("error" in reply) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
      return reply.result;
    },
    on(event: string, listener: (value: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
    },
    removeListener(event: string, listener: (value: unknown) => void) {
      listeners.get(event)?.delete(listener);
    },
  };
  window.__hexsTestWalletEmit = (event, value) => listeners.get(event)?.forEach((listener) => listener(value));
  const info = {
    uuid: "8f1a7c1e-5d7b-4a53-9c0e-7f6b1e2d3c4b",
    name: "HEXS Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
    rdns: "org.hexs.testwallet",
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}
