import type { HardhatPlugin } from "hardhat/types/plugins";

/**
 * Adds branch coverage to `hardhat test --coverage`, which (Hardhat 3.18, EDR) records
 * statements only: every `if`, `?:`, `require` and `assert` condition in an instrumented
 * project file reports which way it went. `dev/coverage/main.ts` turns the hits into the
 * branch figures of `npm run coverage`.
 */
const branchCoveragePlugin: HardhatPlugin = {
  id: "hexs:branch-coverage",
  hookHandlers: {
    solidity: () => import("./solidityHooks.ts"),
  },
};

export default branchCoveragePlugin;
