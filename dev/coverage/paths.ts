import path from "node:path";

/** Hardhat writes `coverage/lcov.info` and `coverage/data/<run>/*.json` under the project root. */
export function coverageDir(root: string): string {
  return path.join(root, "coverage");
}

/** One JSON file of branch points per instrumented source, named after its project path. */
export function branchMetadataPath(root: string, relativeSourcePath: string): string {
  return path.join(coverageDir(root), "branches", `${relativeSourcePath.replaceAll(path.sep, "__")}.json`);
}
