// A Cosmos account's AKT and ACT, and minting ACT from AKT, as /train and the account page show
// them: read on connection and after each mint; a mint is waited for until x/bme credits it.
import type { Balances, MintTerms } from "./act.ts";
import { openAkash, readAkash } from "./modules.ts";
import type { CosmosAccount } from "./wallet.ts";

export class ActFunds {
  /**
   * The balances, what minting costs now and, where deployments are made, the least deposit one
   * takes; undefined until read.
   */
  funds = $state.raw<{ balances: Balances; terms: MintTerms; minDepositUact?: bigint }>();
  /** A mint sent and not yet credited: x/bme executes it at the next block. */
  minting = $state(false);
  readonly #forDeployments: boolean;

  /** `forDeployments`: the page makes deployments, so the chain's least deposit is read too. */
  constructor({ forDeployments = false }: { forDeployments?: boolean } = {}) {
    this.#forDeployments = forDeployments;
  }

  clear(): void {
    this.funds = undefined;
  }

  /** Reads the account's balances, the chain's mint terms and (for deployments) its least deposit. */
  async read(account: CosmosAccount | undefined): Promise<void> {
    const { a, restUrl, account: connected } = await readAkash(account);
    const [balances, terms, minDepositUact] = await Promise.all([
      a.readBalances(restUrl, connected.address),
      a.readMintTerms(restUrl),
      this.#forDeployments ? a.readMinDepositUact(restUrl) : undefined,
    ]);
    this.funds = { balances, terms, ...(minDepositUact === undefined ? {} : { minDepositUact }) };
  }

  /** Reads the balances alone (after a transaction moved ACT). */
  async readBalances(account: CosmosAccount | undefined): Promise<void> {
    const { a, restUrl, account: connected } = await readAkash(account);
    const balances = await a.readBalances(restUrl, connected.address);
    if (this.funds) this.funds = { ...this.funds, balances };
  }

  /** Burns `uakt` for ACT, then waits (a few blocks at most) for the mint to be credited. */
  async mint(account: CosmosAccount | undefined, uakt: bigint): Promise<void> {
    const { a, ctx } = await openAkash(account);
    const before = (await a.readBalances(ctx.restUrl, ctx.tx.address)).uact;
    await a.mintAct(ctx, uakt);
    this.minting = true;
    try {
      // Only the balances change with a mint: the price and x/bme's terms are not read again.
      await a.waitForMintedAct(
        () => a.readBalances(ctx.restUrl, ctx.tx.address),
        before,
        (balances) => {
          if (this.funds) this.funds = { ...this.funds, balances };
        },
      );
    } finally {
      this.minting = false;
    }
  }
}
