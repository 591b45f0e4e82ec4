// The node's peer identity: an Ed25519 key kept in the data folder, so `id` answers the same
// peer ID across restarts, as Kubo does. The node never dials anyone with it.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  generateKeyPair,
  privateKeyFromProtobuf,
  privateKeyToProtobuf,
  publicKeyToProtobuf,
} from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";

export interface NodeIdentity {
  peerId: string;
  /** Base64 protobuf of the public key, as Kubo's `id` prints it. */
  publicKey: string;
}

export async function loadIdentity(dataDir: string): Promise<NodeIdentity> {
  const file = join(dataDir, "identity.key");
  const key = await readFile(file).then(
    (bytes) => privateKeyFromProtobuf(bytes),
    async () => {
      const fresh = await generateKeyPair("Ed25519");
      await writeFile(file, privateKeyToProtobuf(fresh), { mode: 0o600 });
      return fresh;
    },
  );
  return {
    peerId: peerIdFromPrivateKey(key).toString(),
    publicKey: Buffer.from(publicKeyToProtobuf(key.publicKey)).toString("base64"),
  };
}
