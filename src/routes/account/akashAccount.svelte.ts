// The account page's Akash side: a Cosmos wallet, its AKT and ACT, and minting ACT, outside any
// /train run (ACT pays for every Akash deployment since the BME upgrade, and can only be minted).
import { ActFunds } from "#lib/akash/actFunds.svelte.ts";
import { connectWallet } from "#lib/akash/connectWallet.ts";
import type { CosmosAccount } from "#lib/akash/wallet.ts";
import { describeError } from "#lib/chain/walletErrors.ts";

export class AkashAccount {
  account = $state.raw<CosmosAccount>();
  busy = $state(false);
  error = $state<string>();
  readonly act = new ActFunds();

  async connect(kind: "keplr" | "dev"): Promise<void> {
    await this.#run(async () => {
      this.act.clear();
      this.account = await connectWallet(kind);
      await this.act.read(this.account);
    });
  }

  async mint(uakt: bigint): Promise<void> {
    await this.#run(() => this.act.mint(this.account, uakt));
  }

  /** Keplr switched to another of its keys: this account is no longer the wallet's. */
  keplrKeyChanged(): void {
    if (this.account?.walletName !== "Keplr") return;
    this.account = undefined;
    this.act.clear();
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      await action();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }
}
