import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import branchCoverage from "./dev/coverage/plugin.ts";

const require = createRequire(import.meta.url);

// Hardhat cannot download compilers on machines without internet access, so it uses the
// solc-js build that the pinned npm `solc` package ships (keep both versions in step).
const SOLC_VERSION = "0.8.30";

export default defineConfig({
  plugins: [hardhatToolboxViem, branchCoverage],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "prague",
    },
  },
  test: {
    // Kept small so `hardhat test` stays fast on two cores; raise locally when hunting bugs.
    solidity: { fuzz: { runs: 256 }, invariant: { runs: 48, depth: 40 } },
  },
  // Test doubles (the reentrant receiver, the score harness) are not product contracts.
  coverage: { skipFiles: ["contracts/test/**"] },
  paths: {
    tests: {
      solidity: "./test/contracts",
      nodejs: "./test/contracts",
    },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.HEXS_RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
});
