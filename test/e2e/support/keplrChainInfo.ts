// The checks Keplr runs on a chain a page suggests (`experimentalSuggestChain`), before it asks
// the user: its chain-validator's Joi schema (chainapsis/keplr-wallet,
// packages/chain-validator/src/schema.ts), rule for rule on the fields a Cosmos chain needs, with
// Joi's first error message, as Keplr rejects the call with it. Unknown keys pass (Keplr strips them).

export interface KeplrCurrency {
  coinDenom: string;
  coinMinimalDenom: string;
  coinDecimals: number;
}

/** The part of Keplr's ChainInfo the test wallet reads once a chain is added. */
export interface KeplrChainInfo {
  chainId: string;
  chainName: string;
  rpc: string;
  rest: string;
  bip44: { coinType: number };
  bech32Config: { bech32PrefixAccAddr: string };
  currencies: KeplrCurrency[];
  feeCurrencies: (KeplrCurrency & { gasPriceStep?: { low: number; average: number; high: number } })[];
  stakeCurrency: KeplrCurrency;
}

type Check = (value: unknown, path: string) => string | undefined;

const BECH32_KEYS = [
  "bech32PrefixAccAddr",
  "bech32PrefixAccPub",
  "bech32PrefixValAddr",
  "bech32PrefixValPub",
  "bech32PrefixConsAddr",
  "bech32PrefixConsPub",
];

/** Returns Joi's message for the first rule `info` breaks, or undefined when Keplr accepts it. */
export function keplrChainInfoError(info: unknown): string | undefined {
  return object({
    rpc: required(endpoint),
    rest: required(endpoint),
    chainId: required(text(1, 30)),
    chainName: required(text(1, 30)),
    stakeCurrency: required(currency),
    bip44: required(object({ coinType: required(integer(0)) })),
    bech32Config: required(object(Object.fromEntries(BECH32_KEYS.map((key) => [key, required(text())])))),
    currencies: required(list(currency)),
    feeCurrencies: required(list(feeCurrency)),
  })(info, "value");
}

const quoted = (path: string) => `"${path}"`;

function required(check: Check): Check {
  return (value, path) => (value === undefined ? `${quoted(path)} is required` : check(value, path));
}

function text(min = 1, max = Infinity): Check {
  return (value, path) => {
    if (typeof value !== "string") return `${quoted(path)} must be a string`;
    if (value === "") return `${quoted(path)} is not allowed to be empty`;
    if (value.length < min) return `${quoted(path)} length must be at least ${min} characters long`;
    if (value.length > max) return `${quoted(path)} length must be less than or equal to ${max} characters long`;
    return undefined;
  };
}

function endpoint(value: unknown, path: string): string | undefined {
  const problem = text()(value, path);
  if (problem) return problem;
  const url = value as string;
  if (!/^[a-z][a-z\d+.-]*:/i.test(url) || !URL.canParse(url)) return `${quoted(path)} must be a valid uri`;
  if (url.includes("?")) return `${quoted(path)} failed custom validation because ${path} should not have query string`;
  return undefined;
}

function number(value: unknown, path: string): string | undefined {
  return typeof value === "number" && Number.isFinite(value) ? undefined : `${quoted(path)} must be a number`;
}

function integer(min: number, max = Infinity): Check {
  return (value, path) => {
    const problem = number(value, path);
    if (problem) return problem;
    if (!Number.isInteger(value)) return `${quoted(path)} must be an integer`;
    if ((value as number) < min) return `${quoted(path)} must be greater than or equal to ${min}`;
    if ((value as number) > max) return `${quoted(path)} must be less than or equal to ${max}`;
    return undefined;
  };
}

function object(fields: Record<string, Check>): Check {
  return (value, path) => {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return `${quoted(path)} must be of type object`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check((value as Record<string, unknown>)[key], path === "value" ? key : `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const currency = object({
  coinDenom: required(text()),
  coinMinimalDenom: required(text()),
  coinDecimals: required(integer(0, 18)),
});

function feeCurrency(value: unknown, path: string): string | undefined {
  const problem = currency(value, path);
  if (problem) return problem;
  const step = (value as { gasPriceStep?: unknown }).gasPriceStep;
  if (step === undefined) return undefined;
  const stepPath = `${path}.gasPriceStep`;
  const shape = object({ low: required(number), average: required(number), high: required(number) })(step, stepPath);
  if (shape) return shape;
  const { low, average, high } = step as { low: number; average: number; high: number };
  if (low > average)
    return `${quoted(stepPath)} failed custom validation because Low gas price step can not be greater than average`;
  if (average > high)
    return `${quoted(stepPath)} failed custom validation because Average gas price step can not be greater than high`;
  return undefined;
}

/** An array of at least one item, each passing `item`, no two with the same coinMinimalDenom. */
function list(item: Check): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return `${quoted(path)} must be an array`;
    if (value.length < 1) return `${quoted(path)} must contain at least 1 items`;
    const seen = new Set<string>();
    for (const [index, entry] of value.entries()) {
      const problem = item(entry, `${path}[${index}]`);
      if (problem) return problem;
      const denom = (entry as KeplrCurrency).coinMinimalDenom;
      if (seen.has(denom)) return `${quoted(path)} failed custom validation because ${denom} is duplicated`;
      seen.add(denom);
    }
    return undefined;
  };
}
