// `npm run hub:standin`: runs the local Hugging Face hub stand-in alone until interrupted.
// Port: --port 8091 or HEXS_HUB_PORT. Point the dApp at it with VITE_HEXS_HUB_URL (or on
// /settings), and the trainers with HF_ENDPOINT.
import { parseArgs } from "node:util";
import { startHubStandIn } from "./server.ts";

const { values } = parseArgs({
  options: { port: { type: "string", default: process.env.HEXS_HUB_PORT ?? "8091" } },
});

const standIn = await startHubStandIn({ port: Number(values.port) });
console.log(
  `hugging face hub stand-in (not huggingface.co): ${standIn.url} · hexs-demo/tiny-stories-char, hexs-demo/tiny-verse-char`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void standIn.stop().then(() => process.exit(0)));
}
