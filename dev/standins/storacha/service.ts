// The service half of the Storacha stand-in: Storacha's own upload service implementation
// (`@storacha/upload-api`'s `createServer`, the code behind up.storacha.network) wired to the
// in-memory stores and blob storage nodes that Storacha's client tests run against
// (`@storacha/upload-api/test/context`). Nothing is re-implemented here: every UCAN
// invocation the client sends is validated and executed by that code.
//
// What differs from the real deployment: state lives in memory (lost on stop); the service key
// is new at every start; validation emails are not sent (see login.ts); blobs stay on this
// machine (no Filecoin deals, no IPNI announcements).
import * as UploadApi from "@storacha/upload-api";
import { createContext, cleanupContext } from "@storacha/upload-api/test/context";
import type { Email, UcantoServerTestContext } from "@storacha/upload-api/types";
import { delegate, isDelegation, type API } from "@ucanto/core";
import type { LoopbackHttp } from "./loopbackHttp.ts";

export interface StorachaServiceOptions {
  /** Base URL the service is reachable at: the validation links it mails point there. */
  url: URL;
  /** How validation emails are "sent". */
  email: Email;
  /** `node:http` for the blob storage nodes (bound to loopback, see loopbackHttp.ts). */
  http: LoopbackHttp;
  /** Called with any error a handler throws, besides the error answer the client gets. */
  onError: (error: unknown) => void;
}

export interface StorachaService {
  /** The service DID clients must be configured with (a `did:web`, as the real one). */
  did: `did:${string}:${string}`;
  /** The ucanto server: `request({ headers, body })` is the HTTP transport's whole contract. */
  server: ReturnType<typeof UploadApi.createServer>;
  /** An in-process client connection, for the steps the stand-in performs itself. */
  connection: ReturnType<typeof UploadApi.connect>;
  context: UcantoServerTestContext;
  stop(): Promise<void>;
}

export async function createStorachaService(options: StorachaServiceOptions): Promise<StorachaService> {
  // A real paid-plan check: provider/add refuses accounts without a plan, as in production.
  const context = await createContext({
    http: options.http,
    requirePaymentPlan: true,
    assert: { fail: options.onError },
  });
  await renewProofs(context.indexingService.invocationConfig);
  await renewProofs(context.claimsService.invocationConfig);
  const serviceContext = {
    ...context,
    url: options.url,
    email: options.email,
    errorReporter: { catch: options.onError },
    // Blob handlers invoke the service itself (blob/allocate, blob/accept): through this server.
    getServiceConnection: () => connection,
  };
  const server = UploadApi.createServer(serviceContext);
  const connection = UploadApi.connect({ id: context.id, channel: server });
  return {
    did: context.id.did(),
    server,
    connection,
    context,
    stop: async () => {
      await cleanupContext(context);
    },
  };
}

/** How the test context lets the service publish claims to its indexing and claims services. */
interface ClaimsInvocationConfig {
  issuer: API.Signer;
  audience: API.Principal;
  proofs?: API.Proof[];
}

/**
 * The test context delegates `assert/*` to the service with ucanto's default lifetime of 30
 * seconds: enough for a unit test, while a stand-in runs for hours and `space/index/add` then
 * fails with "Claim {"can":"assert/index"} is not authorized". The delegating service's signer
 * is the config's audience, so the same delegations are issued again without expiry.
 */
async function renewProofs(config: ClaimsInvocationConfig): Promise<void> {
  const signer = config.audience as Partial<API.Signer>;
  if (typeof signer.sign !== "function") throw new Error("the claims service's signer is not at hand");
  config.proofs = await Promise.all(
    (config.proofs ?? []).map((proof) =>
      isDelegation(proof)
        ? delegate({
            issuer: signer as API.Signer,
            audience: config.issuer,
            capabilities: proof.capabilities,
            expiration: Infinity,
          })
        : proof,
    ),
  );
}
