// The local trainer's entry point (what the stand-in provider runs for a lease): reads the job
// from the environment, prints progress lines, exits 0 with a result line or 1 with a failure line.
import { formatProgress } from "../../src/lib/akash/progress.ts";
import { inputsFromEnv, runTrainer } from "./run.ts";

try {
  await runTrainer(inputsFromEnv(process.env), (event) => console.log(formatProgress(event)));
} catch (error) {
  console.log(
    formatProgress({
      event: "failed",
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }),
  );
  process.exitCode = 1;
}

if (process.env.HEXS_HOLD_AFTER_EXIT === "1") {
  // On Akash an exited container is restarted, which would run the job again: the image sets
  // this so the container idles after its final line until the dApp closes the lease.
  console.log("HEXS job finished; idle until the lease is closed");
  setInterval(() => undefined, 3_600_000);
}
