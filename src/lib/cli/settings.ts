// Command-line settings for HEXS's services: each a flag and an environment variable (flags win),
// so a service runs the same from a shell, a container (env) or an Akash SDL.
import { parseArgs } from "node:util";

export interface Setting {
  flag: string;
  env: string;
  help: string;
  default?: string;
  boolean?: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** `--help`: the usage line, what the service is, then every setting with its default and variable. */
export function settingsHelp(usage: string, description: string, settings: readonly Setting[]): string {
  const lines = [usage, "", description, "", "Options (each also an environment variable):"];
  for (const s of settings) {
    lines.push(
      `  --${s.flag}${s.boolean ? "" : " <value>"}`,
      `      ${s.help}${s.default ? ` [${s.default}]` : ""}`,
      `      env ${s.env}`,
    );
  }
  lines.push("  --help", "      this text");
  return lines.join("\n");
}

/**
 * Parses `argv` against `settings`; "help" for --help, otherwise a reader of each setting's value
 * (flag, else variable, else default; a boolean flag reads "true"). Throws ConfigError for an
 * unknown or malformed flag.
 */
export function readSettings<F extends string>(
  argv: string[],
  env: NodeJS.ProcessEnv,
  settings: readonly (Setting & { flag: F })[],
): ((flag: F) => string | undefined) | "help" {
  const options = Object.fromEntries(
    settings.map((s) => [s.flag, { type: s.boolean ? ("boolean" as const) : ("string" as const) }]),
  );
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, strict: true }).values;
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (parsed.help) return "help";
  return (flag) => {
    const setting = settings.find((s) => s.flag === flag)!;
    const fromFlag = parsed[flag];
    if (typeof fromFlag === "boolean") return fromFlag ? "true" : undefined;
    return fromFlag ?? env[setting.env] ?? setting.default;
  };
}
