// `node gateway/main.ts [options]`: runs the inference gateway for one agent (see --help and
// gateway/README.md). SIGINT/SIGTERM stop it cleanly: requests finish, usage is settled.
import { ConfigError, helpText, readConfig } from "./src/config.ts";
import { startGateway } from "./src/gateway.ts";

let config;
try {
  config = readConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`hexs-gateway: ${error.message}\n`);
  process.exit(2);
}
if (config === "help") {
  process.stdout.write(`${helpText()}\n`);
  process.exit(0);
}

const gateway = await startGateway(config);
process.stdout.write(`${JSON.stringify({ event: "ready-to-serve", url: gateway.url, model: gateway.modelId })}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    gateway
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`hexs-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      });
  });
}
