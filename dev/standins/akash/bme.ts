// Akash's burn-mint equilibrium (x/bme) as the stand-in runs it: MsgMintACT burns AKT for ACT at
// the oracle's price. As the node does (x/bme/handler/server.go, keeper.go RequestBurnMint and
// prepareToBM; messages' ValidateBasic in chain-sdk go/node/bme/v1/msgs.go): owner and recipient
// must be the same account, only the uakt → uact route exists, the AKT leaves the account when the
// request is queued, and the mint is executed at the next block — below the minimum mint it is
// cancelled and the AKT refunded; otherwise the owner receives the mint less the spread.

/** x/bme's live parameters (mainnet, 2026-09): mint spread 25 bps, minimum mint 10 ACT. */
export const BME_PARAMS = { mintSpreadBps: 25n, minMintUact: 10_000_000n } as const;

/** ACT's oracle price: one US dollar (keeper.go prepareToBM). */
export const ACT_PRICE_MICRO_USD = 1_000_000n;

/** A mint request queued by MsgMintACT, executed at the next block. */
export interface PendingMint {
  owner: string;
  uakt: bigint;
}

export type MintOutcome = { minted: bigint; spread: bigint } | { canceled: string };

/** What a queued mint gives at AKT's price (micro-USD per AKT), as prepareToBM computes it. */
export function executeMint(uakt: bigint, aktPriceMicroUsd: bigint): MintOutcome {
  const mint = (uakt * aktPriceMicroUsd) / ACT_PRICE_MICRO_USD;
  if (mint <= 0n) return { canceled: `result truncates to zero for uact` };
  if (mint < BME_PARAMS.minMintUact)
    return {
      canceled: `mint output ${mint}uact is below minimum ${BME_PARAMS.minMintUact}uact: minimum mint amount is not met`,
    };
  const spread = (mint * BME_PARAMS.mintSpreadBps) / 10_000n;
  return { minted: mint - spread, spread };
}
