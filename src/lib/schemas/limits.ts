// Size limits for documents read from IPFS: they come from strangers, so every one is bounded
// before it is parsed, stored or rendered.
export const LIMITS = {
  /** A model card document (JSON with the README inside). */
  modelCardBytes: 512 * 1024,
  readmeChars: 256 * 1024,
  /** A weights manifest document. */
  manifestBytes: 256 * 1024,
  manifestFiles: 1_000,
  /** Short identifiers: tags, languages, dataset and model ids. */
  idChars: 128,
  listItems: 64,
  nameChars: 96,
  urlChars: 2_048,
} as const;
