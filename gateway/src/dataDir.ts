// The usage log has one writer: a second gateway on the same folder would reserve and settle the
// same credits twice. A lock file holding the writer's pid guards the folder; a lock whose
// process is gone (killed, crashed) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
  constructor(dir: string, pid: number) {
    super(`Another gateway (pid ${pid}) writes to ${dir}; one gateway per data folder.`);
  }
}

export function lockDataDir(dir: string): { release: () => void } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "gateway.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8"));
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dir, pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
