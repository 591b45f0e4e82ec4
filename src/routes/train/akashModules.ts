// The Akash client modules /train drives, as one object, loaded when the page first needs them
// (they weigh ~300 KiB gzip): the page itself opens without them.
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
