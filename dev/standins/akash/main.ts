// `npm run akash:standin`: runs the local Akash stand-in alone until interrupted.
// Port: --port 8090 or HEXS_AKASH_PORT; IPFS: --ipfs http://127.0.0.1:5001 or HEXS_IPFS_API_URL;
// Hugging Face hub (or its stand-in): --hf <url> or HF_ENDPOINT.
import { parseArgs } from "node:util";
import { startAkashStandIn } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.HEXS_AKASH_PORT ?? "8090" },
    ipfs: { type: "string", default: process.env.HEXS_IPFS_API_URL ?? "http://127.0.0.1:5001" },
    hf: { type: "string", default: process.env.HF_ENDPOINT ?? process.env.HEXS_HF_ENDPOINT ?? "" },
  },
});

const standIn = await startAkashStandIn({
  port: Number(values.port),
  ipfsApiUrl: values.ipfs,
  ...(values.hf ? { hfEndpoint: values.hf } : {}),
  holdAfterExit: true,
});
console.log(`akash stand-in: node REST ${standIn.nodeUrl} · chain id ${standIn.chainId}`);
for (const { name, auth = "jwt" } of standIn.chain.providers)
  console.log(`  ${name} (${auth}): ${standIn.providerHostUri(name)}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void standIn.stop().then(() => process.exit(0)));
}
