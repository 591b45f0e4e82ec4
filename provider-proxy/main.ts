// `node provider-proxy/main.ts [options]`: runs the provider proxy (see --help and
// provider-proxy/README.md). SIGINT/SIGTERM stop it.
import { ConfigError, helpText, readConfig } from "./src/config.ts";
import { startProviderProxy } from "./src/server.ts";

let config;
try {
  config = readConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`hexs-provider-proxy: ${error.message}\n`);
  process.exit(2);
}
if (config === "help") {
  process.stdout.write(`${helpText()}\n`);
  process.exit(0);
}

const proxy = await startProviderProxy(config);
process.stdout.write(
  `${JSON.stringify({ event: "listening", url: proxy.url, networks: Object.keys(config.networks), allowedOrigins: config.allowedOrigins })}\n`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void proxy.close().then(() => process.exit(0)));
