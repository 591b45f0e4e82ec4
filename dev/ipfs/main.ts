// `npm run ipfs`: runs the local IPFS node alone until interrupted.
// Port and data folder: `--port 5001 --data .data/ipfs`, or HEXS_IPFS_PORT / HEXS_IPFS_DATA.
// `--upload-token <t>` (or HEXS_IPFS_UPLOAD_TOKEN) guards the RPC as Kubo's API.Authorizations
// would: only `Authorization: Bearer <t>` may call it, and only dag/import and id.
import { parseArgs } from "node:util";
import { startIpfsNode } from "./node.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.HEXS_IPFS_PORT ?? "5001" },
    data: { type: "string", default: process.env.HEXS_IPFS_DATA ?? ".data/ipfs" },
    "upload-token": { type: "string", default: process.env.HEXS_IPFS_UPLOAD_TOKEN ?? "" },
  },
});
const token = values["upload-token"];

const node = await startIpfsNode({
  dataDir: values.data,
  port: Number(values.port),
  host: "127.0.0.1",
  ...(token
    ? { rpcAuthorizations: [{ authSecret: `bearer:${token}`, allowedPaths: ["/api/v0/dag/import", "/api/v0/id"] }] }
    : {}),
});
console.log(
  `ipfs: Kubo RPC ${node.url}/api/v0 · gateway ${node.gatewayUrl}/ipfs/<cid> · data ${values.data} · peer ${node.peerId}`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void node.stop().then(() => process.exit(0)));
}
