// A small YAML writer for SDL objects (maps, lists, strings, numbers, booleans, null): enough
// to show the user the SDL they are about to deploy in the form Akash's docs use.

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

export function toYaml(value: Value, indent = 0): string {
  return lines(value, indent).join("\n") + "\n";
}

function lines(value: Value, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isBlock(item)) {
        const [first = "", ...rest] = lines(item, indent + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isMap(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) =>
      isBlock(item) ? [`${pad}${scalar(key)}:`, ...lines(item, indent + 2)] : [`${pad}${scalar(key)}: ${scalar(item)}`],
    );
  }
  return [`${pad}${scalar(value)}`];
}

function isMap(value: Value): value is { [key: string]: Value } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBlock(value: Value): boolean {
  return (Array.isArray(value) && value.length > 0) || (isMap(value) && Object.keys(value).length > 0);
}

function scalar(value: Value): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") return "{}";
  // Plain when unambiguous, otherwise a JSON string (valid YAML double-quoted scalar).
  return /^[A-Za-z_][\w./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
    ? value
    : JSON.stringify(value);
}
