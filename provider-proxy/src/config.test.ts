import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { ConfigError, DAPP_ORIGINS, helpText, readConfig } from "./config.ts";

describe("the provider proxy's configuration", () => {
  it("defaults to the dApp's own origins, mainnet and https-only providers", () => {
    expect(readConfig([], {})).toEqual({
      allowedOrigins: DAPP_ORIGINS,
      networks: { mainnet: "https://api.akashnet.net", sandbox: "https://api.sandbox-2.aksh.pw" },
      indexerUrl: "https://console-api.akash.network",
      allowInsecureProviders: false,
      timeoutMs: 10_000,
      host: "127.0.0.1",
      port: 3040,
    });
  });

  it("reads every setting from a flag or its environment variable, flags first", () => {
    const config = readConfig(["--allowed-origins", "https://a.example,https://*.ipfs.example", "--port", "8080"], {
      HEXS_PROXY_ALLOWED_ORIGINS: "https://ignored.example",
      HEXS_PROXY_NETWORKS: "mainnet=https://rest.example",
      HEXS_PROXY_ALLOW_INSECURE_PROVIDERS: "true",
      HEXS_PROXY_TIMEOUT: "2.5",
      HEXS_PROXY_HOST: "0.0.0.0",
      HEXS_PROXY_INDEXER_URL: "",
    });
    expect(config).toEqual({
      allowedOrigins: ["https://a.example", "https://*.ipfs.example"],
      networks: { mainnet: "https://rest.example" },
      indexerUrl: undefined,
      allowInsecureProviders: true,
      timeoutMs: 2_500,
      host: "0.0.0.0",
      port: 8080,
    });
  });

  it("names what is wrong", () => {
    const problem = (argv: string[]) => {
      try {
        readConfig(argv, {});
      } catch (error) {
        return error instanceof ConfigError ? error.message : error;
      }
    };
    expect(problem(["--allowed-origins", "https://a.example/app"])).toBe(
      "--allowed-origins: https://a.example/app is not an origin (scheme://host[:port], no path)",
    );
    expect(problem(["--networks", "mainnet"])).toBe("--networks: mainnet is not network=REST URL");
    expect(problem(["--indexer-url", "ftp://x"])).toBe("--indexer-url: ftp://x is not an http(s) URL");
    expect(problem(["--port=-1"])).toBe("--port must be a number of at least 0");
    expect(problem(["--bogus"])).toMatch(/^Unknown option '--bogus'.*\(see --help\)$/);
    expect(readConfig(["--help"], {})).toBe("help");
    expect(helpText()).toContain("HEXS_PROXY_ALLOWED_ORIGINS");
  });

  it("runs as a process that says where it listens and answers /status", async () => {
    const child = spawn(
      process.execPath,
      ["provider-proxy/main.ts", "--port", "0", "--networks", "local=http://127.0.0.1:9"],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
      const { event, url } = JSON.parse(line) as { event: string; url: string };
      expect(event).toBe("listening");
      expect(await (await fetch(`${url}/status`)).json()).toEqual({ status: "ok", networks: ["local"] });
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});
