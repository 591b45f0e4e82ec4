// Runs after `vite build`: makes the static shell's asset URLs relative (see relativeShell.ts).
import { readFile, writeFile } from "node:fs/promises";
import { makeShellAssetsRelative } from "./relativeShell.ts";

const shell = new URL("../../build/index.html", import.meta.url);
await writeFile(shell, makeShellAssetsRelative(await readFile(shell, "utf8")));
