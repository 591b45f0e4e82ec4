// The Akash client modules /train and the account page drive, as one object, loaded when a page
// first needs them (they weigh ~300 KiB gzip): the pages themselves open without them.
import { HexsError } from "#lib/errors.ts";
import { settings } from "#lib/state/settings.svelte.ts";
import type { CosmosAccount } from "./wallet.ts";

export const akash = () =>
  Promise.all([
    import("#lib/akash/lease.ts"),
    import("#lib/akash/provider.ts"),
    import("#lib/akash/providerAuth.ts"),
    import("#lib/akash/progress.ts"),
    import("#lib/akash/node.ts"),
    import("#lib/akash/txClient.ts"),
    import("#lib/akash/certificate.ts"),
    import("#lib/akash/act.ts"),
    import("#lib/akash/gpus.ts"),
  ]).then(([lease, provider, auth, progress, node, tx, certificate, act, gpus]) => ({
    ...lease,
    ...provider,
    ...auth,
    ...progress,
    ...node,
    ...tx,
    ...certificate,
    ...act,
    ...gpus,
  }));

/** The modules, and a context for `account` on the Akash node the settings name (node, REST, signing client). */
export async function openAkash(account: CosmosAccount | undefined) {
  const { a, restUrl, account: connected } = await readAkash(account);
  const node = a.akashNode(restUrl);
  const tx = a.createTxClient({
    node,
    restUrl,
    chainId: connected.chainId,
    address: connected.address,
    signer: connected.signer,
  });
  return { a, ctx: { node, restUrl, tx }, account: connected };
}

/** The modules and the REST URL for reading the connected `account`'s state, with no signing client. */
export async function readAkash(account: CosmosAccount | undefined) {
  const a = await akash();
  if (!account) throw new HexsError("Connect a Cosmos wallet first");
  return { a, restUrl: settings.current.akashRestUrl, account };
}
