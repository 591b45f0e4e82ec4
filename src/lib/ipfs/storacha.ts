// Upload adapter for Storacha (web3.storage w3up): the CAR packed here is sent with the
// Storacha client's `uploadCAR`, which shards it, stores the shards in the current space and
// registers the upload under the CAR's root. `connectStoracha` does the one-time setup the
// client needs: log in by email, wait for a plan, and pick (or create) a space.
//
// This module imports the client: load it on demand (uploadTarget.ts does), so pages that never
// upload to Storacha do not ship it.
import type { Client } from "@storacha/client";
import { CID } from "multiformats/cid";
import type { PackedCar } from "./car.ts";
import { IpfsUploadError } from "./errors.ts";
import { STORACHA_NETWORK, type StorachaService } from "./storachaNetwork.ts";
import { createStorachaClient } from "./storachaService.ts";
import type { UploadAdapter, UploadOptions } from "./upload.ts";

const NAME = "storacha";

/** The part of `@storacha/client`'s Client the adapter uses. */
export interface StorachaUploader {
  uploadCAR(
    car: Blob,
    options?: { signal?: AbortSignal; onUploadProgress?: (status: { loaded: number; total: number }) => void },
  ): Promise<{ toString(): string }>;
}

/** @example const { client } = await connectStoracha({ email }); uploadCar(storachaAdapter(client), car) */
export function storachaAdapter(client: StorachaUploader): UploadAdapter {
  return {
    name: NAME,
    async upload(car: PackedCar, options: UploadOptions = {}) {
      let sent = 0;
      let root: { toString(): string };
      try {
        root = await client.uploadCAR(car.blob(), {
          ...(options.signal ? { signal: options.signal } : {}),
          // Storacha reports progress per shard request; sum the shards into one figure.
          onUploadProgress: ({ loaded }) =>
            options.onProgress?.({ loaded: Math.min(sent + loaded, car.size), total: car.size }),
        });
        sent = car.size;
        options.onProgress?.({ loaded: sent, total: car.size });
      } catch (cause) {
        if (options.signal?.aborted) throw options.signal.reason;
        throw new IpfsUploadError(NAME, "upload failed", { details: causeChain(cause), cause });
      }
      try {
        return CID.parse(root.toString());
      } catch (cause) {
        throw new IpfsUploadError(NAME, "the service answered an invalid root CID", {
          details: root.toString(),
          cause,
        });
      }
    },
  };
}

export interface StorachaConnectOptions {
  email: `${string}@${string}`;
  /** The service to log in to; default: the real Storacha network. */
  service?: StorachaService;
  /** A space DID or name to use; the first space of the account, or a new "hexs" space, otherwise. */
  space?: string;
  signal?: AbortSignal;
  /** Progress of the steps, for the UI ("check your inbox…"). */
  onStatus?: (status: "login-email-sent" | "waiting-for-plan" | "space-ready") => void;
  /** A client to use instead of a fresh one for `service` (tests, custom stores). */
  client?: Client;
}

/**
 * Logs in by email (the user clicks the link Storacha sends), waits for a payment plan and
 * selects a space. The client keeps its keys in IndexedDB, so later sessions skip the email.
 */
export async function connectStoracha(options: StorachaConnectOptions): Promise<{ client: Client; space: string }> {
  const client = options.client ?? (await createStorachaClient(options.service ?? STORACHA_NETWORK));
  const signal = options.signal;
  let account = Object.values(client.accounts()).find((one) => one.toEmail() === options.email);
  if (account === undefined) {
    options.onStatus?.("login-email-sent");
    account = await client.login(options.email, signal ? { signal } : {});
  }
  options.onStatus?.("waiting-for-plan");
  await account.plan.wait(signal ? { signal } : {});
  const space = await selectSpace(client, options.space, { account });
  options.onStatus?.("space-ready");
  return { client, space };
}

/** Thrown when the settings name a space DID the logged-in account cannot use. */
export class StorachaUnknownSpaceError extends IpfsUploadError {
  override name = "StorachaUnknownSpaceError";
  readonly space: string;
  /** The spaces the account can use. */
  readonly available: readonly string[];

  constructor(space: string, available: readonly string[]) {
    super(NAME, "this account has no such space", {
      details: `${space}; spaces: ${available.join(", ") || "none"}`,
    });
    this.space = space;
    this.available = available;
  }
}

/** How a missing space is created: the recovery account, and whether to skip authorizing
 * Storacha's gateway to serve it (only for offline tests: without it nothing is served). */
export type SpaceCreation = NonNullable<Parameters<Client["createSpace"]>[1]>;

/** Makes `wanted` (a DID or a name) the current space; creates a "hexs" space when there is none. */
export async function selectSpace(client: Client, wanted?: string, create: SpaceCreation = {}): Promise<string> {
  const spaces = client.spaces();
  const space = wanted === undefined ? spaces[0] : spaces.find((one) => one.did() === wanted || one.name === wanted);
  if (space === undefined && wanted !== undefined && wanted.startsWith("did:")) {
    throw new StorachaUnknownSpaceError(
      wanted,
      spaces.map((one) => one.did()),
    );
  }
  if (space === undefined) {
    const created = await client.createSpace(wanted ?? "hexs", create);
    await client.addSpace(await created.createAuthorization(client));
    await client.setCurrentSpace(created.did());
    return created.did();
  }
  await client.setCurrentSpace(space.did());
  return space.did();
}

/** "failed space/blob/add invocation: <space> has no storage provider": the client's errors
 * name the step that failed, and keep the service's reason as their `cause`. */
function causeChain(error: unknown): string {
  const messages: string[] = [];
  // Service failures arrive as plain `{ name, message }` objects, not Error instances.
  for (
    let at = error as { message?: unknown; cause?: unknown } | undefined;
    messages.length < 5;
    at = at.cause as typeof at
  ) {
    if (typeof at !== "object" || at === null || typeof at.message !== "string") break;
    messages.push(at.message);
  }
  return messages.join(": ") || String(error);
}
