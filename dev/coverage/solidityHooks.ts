import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { getCoverageLibrary } from "@nomicfoundation/edr/coverage";
import type { SolidityHooks } from "hardhat/types/hooks";
import { addBranchProbes } from "./branchProbes.ts";
import { branchMetadataPath } from "./paths.ts";
import { PROBE_LIBRARY_FILENAME, PROBE_LIBRARY_SOURCE } from "./probeLibrary.ts";

export default async (): Promise<Partial<SolidityHooks>> => ({
  preprocessProjectFileBeforeBuilding: async (context, sourceName, fsPath, fileContent, solcVersion, next) => {
    const content = await next(context, sourceName, fsPath, fileContent, solcVersion);
    // Probe exactly the files Hardhat instrumented for statements (its scope and skipFiles
    // rules), which are the ones that import its coverage library.
    if (!context.globalOptions.coverage || !content.includes(getCoverageLibrary().filename)) return content;

    const relativePath = path.relative(context.config.paths.root, fsPath);
    const { source, branches } = addBranchProbes(content, relativePath);
    const metadataPath = branchMetadataPath(context.config.paths.root, relativePath);
    await mkdir(path.dirname(metadataPath), { recursive: true });
    await writeFile(metadataPath, JSON.stringify({ file: relativePath, branches }, null, 2));
    return source;
  },

  preprocessSolcInputBeforeBuilding: async (context, solcInput, next) => {
    if (context.globalOptions.coverage) solcInput.sources[PROBE_LIBRARY_FILENAME] = { content: PROBE_LIBRARY_SOURCE };
    return await next(context, solcInput);
  },
});
