// `npm run storacha:standin`: runs the Storacha stand-in alone until interrupted. Port:
// --port 8092 or HEXS_STORACHA_PORT. Point the dApp at it on /settings (Storacha service URL
// and DID, gateway URL and DID: all four are the stand-in's) or with VITE_HEXS_STORACHA_*.
import { parseArgs } from "node:util";
import { startStorachaStandIn } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.HEXS_STORACHA_PORT ?? "8092" },
    // Print each login link instead of confirming it: open it to log in, as with a real email.
    "manual-login": { type: "boolean", default: false },
  },
});

const standIn = await startStorachaStandIn({ port: Number(values.port), autoConfirmLogin: !values["manual-login"] });
console.log(`storacha stand-in (not up.storacha.network): ${standIn.url} · service DID ${standIn.did}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void standIn.stop().then(() => process.exit(0)));
}
