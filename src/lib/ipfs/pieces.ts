// Bytes held as a list of pieces: a block as it arrived in network chunks (see carStream.ts).

/** Joins pieces into one array; a single piece is returned as it is, without a copy. */
export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
