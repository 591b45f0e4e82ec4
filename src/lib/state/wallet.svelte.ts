import {
  connect,
  disconnect,
  getBalance,
  getConnection,
  getConnectors,
  reconnect,
  switchChain,
  watchBlockNumber,
  watchConnection,
  watchConnectors,
  type Connector,
  type GetConnectionReturnType,
} from "@wagmi/core";
import type { Address } from "viem";
import type { HexsWagmi } from "../chain/wagmiConfig.ts";
import { describeError } from "../chain/walletErrors.ts";
import { settings } from "./settings.svelte.ts";

/**
 * The connected wallet as the UI sees it. The wagmi config is created in the browser only
 * (never during the build), so everything here starts empty until `start()` runs.
 */
class WalletState {
  #wagmi = $state.raw<HexsWagmi>();
  connection = $state.raw<GetConnectionReturnType>();
  connectors = $state.raw<readonly Connector[]>([]);
  balance = $state<bigint>();
  /** The last failure of a wallet action, in words; cleared by the next action. */
  error = $state<string>();
  busy = $state(false);

  readonly address = $derived(this.connection?.status === "connected" ? this.connection.address : undefined);
  readonly wrongNetwork = $derived(
    this.connection?.status === "connected" && this.connection.chainId !== settings.current.chainId,
  );

  get wagmi(): HexsWagmi {
    if (!this.#wagmi) throw new Error("The wallet is used before start().");
    return this.#wagmi;
  }

  get started(): boolean {
    return this.#wagmi !== undefined;
  }

  async start(): Promise<void> {
    if (this.#wagmi) return;
    const { createHexsWagmi } = await import("../chain/wagmiConfig.ts");
    const wagmi = await createHexsWagmi(settings.current);
    this.#wagmi = wagmi;
    this.connection = getConnection(wagmi.config);
    this.connectors = getConnectors(wagmi.config);
    watchConnection(wagmi.config, {
      onChange: (connection) => {
        this.connection = connection;
        void this.refreshBalance();
      },
    });
    watchConnectors(wagmi.config, { onChange: (connectors) => (this.connectors = connectors) });
    watchBlockNumber(wagmi.config, {
      onBlockNumber: () => void this.refreshBalance(),
      poll: true,
      pollingInterval: 1000,
    });
    await reconnect(wagmi.config).catch(() => undefined);
  }

  /** Resolves to whether the wallet connected; on failure `error` says why. */
  async connect(connector: Connector): Promise<boolean> {
    // No chainId here: a wallet on another network connects as it is, and the banner offers the switch.
    return this.#run(() => connect(this.wagmi.config, { connector }));
  }

  async disconnect(): Promise<void> {
    await this.#run(() => disconnect(this.wagmi.config));
  }

  async switchToTarget(): Promise<void> {
    await this.#run(() => switchChain(this.wagmi.config, { chainId: settings.current.chainId }));
  }

  /** Picks another funded local account in the dev wallet. */
  selectDevAccount(index: number): void {
    this.wagmi.devWallet?.select(index);
  }

  async refreshBalance(): Promise<void> {
    const address: Address | undefined = this.address;
    if (!address || !this.#wagmi) {
      this.balance = undefined;
      return;
    }
    try {
      const { value } = await getBalance(this.#wagmi.config, { address, chainId: settings.current.chainId });
      this.balance = value;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async #run(action: () => Promise<unknown>): Promise<boolean> {
    this.error = undefined;
    this.busy = true;
    try {
      await action();
      return true;
    } catch (error) {
      this.error = describeError(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export const wallet = new WalletState();
