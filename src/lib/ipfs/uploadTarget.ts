// The upload adapter the user's settings name: a Kubo RPC node, or Storacha. Pages ask here
// instead of building an adapter themselves, so the choice on /settings reaches every upload.
//
// Storacha's client is imported only when Storacha is the target, and its connection (email
// login, plan, space) is made once and kept for the page's life.
import type { Settings } from "../state/settings.svelte.ts";
import { IpfsUploadError } from "./errors.ts";
import { kuboAdapter } from "./kubo.ts";
import { STORACHA_NETWORK, type StorachaService } from "./storachaNetwork.ts";
import type { UploadAdapter } from "./upload.ts";

type StorachaModule = typeof import("./storacha.ts");
type StorachaClient = Awaited<ReturnType<StorachaModule["connectStoracha"]>>["client"];

/** The settings an upload target depends on. */
export type UploadTargetSettings = Pick<
  Settings,
  | "ipfsUploadTarget"
  | "ipfsApiUrl"
  | "ipfsApiToken"
  | "storachaEmail"
  | "storachaSpace"
  | "storachaServiceUrl"
  | "storachaServiceDid"
  | "storachaGatewayUrl"
  | "storachaGatewayDid"
>;

export interface UploadAdapterForOptions {
  /** One sentence per connection step, for the line beside the upload's progress. */
  onStatus?: (message: string) => void;
  signal?: AbortSignal;
  /** Loads the Storacha module; tests pass their own. Default: a lazy `import("./storacha.ts")`. */
  loadStoracha?: () => Promise<StorachaModule>;
}

/** Thrown when the chosen upload target lacks a setting it needs (e.g. no Storacha email). */
export class UploadTargetSettingError extends IpfsUploadError {
  override name = "UploadTargetSettingError";
  readonly setting: keyof Settings;
  readonly value: string;

  constructor(target: string, setting: keyof Settings, value: string, shortMessage: string) {
    super(target, shortMessage, { details: `${setting} = ${JSON.stringify(value)}` });
    this.setting = setting;
    this.value = value;
  }
}

/** Thrown when logging in to Storacha or selecting its space fails. */
export class StorachaConnectError extends IpfsUploadError {
  override name = "StorachaConnectError";
  readonly email: string;

  constructor(email: string, cause: unknown) {
    super("storacha", `could not connect as ${email}`, { details: (cause as Error)?.message, cause });
    this.email = email;
  }
}

/** Connected Storacha clients, by service, email and space: one login per page life. */
const storachaClients = new Map<string, Promise<StorachaClient>>();

/**
 * The adapter for `settings.ipfsUploadTarget`. For Storacha, the first call logs in by email
 * (the user confirms through the link Storacha sends) and selects the space.
 * @throws UploadTargetSettingError when Storacha is chosen without a valid email; StorachaConnectError.
 * @example const adapter = await uploadAdapterFor(settings.current, { onStatus: (m) => (status = m) })
 */
export async function uploadAdapterFor(
  settings: UploadTargetSettings,
  options: UploadAdapterForOptions = {},
): Promise<UploadAdapter> {
  if (settings.ipfsUploadTarget === "kubo")
    return kuboAdapter({
      url: settings.ipfsApiUrl,
      ...(settings.ipfsApiToken ? { headers: { Authorization: `Bearer ${settings.ipfsApiToken}` } } : {}),
    });
  const email = settings.storachaEmail.trim();
  if (email === "")
    throw new UploadTargetSettingError("storacha", "storachaEmail", email, "set your account email in Settings");
  if (!isEmail(email))
    throw new UploadTargetSettingError("storacha", "storachaEmail", email, "the account email in Settings is invalid");
  const load = options.loadStoracha ?? (() => import("./storacha.ts"));
  const storacha = await load();
  const service = storachaServiceOf(settings);
  const key = [service.url, service.did, email, settings.storachaSpace].join("\n");
  let client = storachaClients.get(key);
  if (client === undefined) {
    client = connect(storacha, { email, space: settings.storachaSpace, service }, options);
    storachaClients.set(key, client);
    // A failed or abandoned login is not kept: the next upload tries again.
    client.catch(() => storachaClients.delete(key));
  }
  return storacha.storachaAdapter(await client);
}

/** A short description of where uploads go, for the pages that upload. */
export function describeUploadTarget(settings: UploadTargetSettings): string {
  if (settings.ipfsUploadTarget === "kubo") return `the Kubo node at ${settings.ipfsApiUrl}`;
  const space = settings.storachaSpace === "" ? "" : `, space ${settings.storachaSpace}`;
  // Only another service than the real network is named: a stand-in must never pass for it.
  const where = settings.storachaServiceUrl === STORACHA_NETWORK.url ? "" : ` at ${settings.storachaServiceUrl}`;
  return `Storacha${where} (${settings.storachaEmail || "no account email set"}${space})`;
}

const STATUS_MESSAGES = {
  "login-email-sent": (email: string) => `Storacha: check your email (${email}) and click the link to log in.`,
  "waiting-for-plan": () => "Storacha: logged in; waiting for the account's plan.",
  "space-ready": () => "Storacha: space ready.",
} as const;

/** The Storacha service the settings name (the real network unless changed). */
export function storachaServiceOf(settings: UploadTargetSettings): StorachaService {
  return {
    url: settings.storachaServiceUrl,
    did: settings.storachaServiceDid,
    gatewayUrl: settings.storachaGatewayUrl,
    gatewayDid: settings.storachaGatewayDid,
  };
}

interface StorachaTarget {
  email: `${string}@${string}`;
  /** Space DID or name; "" for the account's first space. */
  space: string;
  service: StorachaService;
}

async function connect(
  storacha: StorachaModule,
  { email, space, service }: StorachaTarget,
  options: UploadAdapterForOptions,
): Promise<StorachaClient> {
  options.onStatus?.("Storacha: connecting…");
  try {
    const { client } = await storacha.connectStoracha({
      email,
      service,
      ...(space === "" ? {} : { space }),
      ...(options.signal ? { signal: options.signal } : {}),
      onStatus: (status) => options.onStatus?.(STATUS_MESSAGES[status](email)),
    });
    return client;
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (cause instanceof IpfsUploadError) throw cause;
    throw new StorachaConnectError(email, cause);
  }
}

function isEmail(text: string): text is `${string}@${string}` {
  return /^[^\s@]+@[^\s@]+$/.test(text);
}
