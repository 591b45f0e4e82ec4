// The real Storacha network's endpoints, as `@storacha/client` addresses them by default. Kept
// apart from the client so settings and messages can name them without loading it.

export interface StorachaService {
  /** The upload service (it also answers access and filecoin invocations). */
  url: string;
  did: string;
  /** The gateway a new space authorizes to serve its content. */
  gatewayUrl: string;
  gatewayDid: string;
}

export const STORACHA_NETWORK: StorachaService = {
  url: "https://up.storacha.network",
  did: "did:web:up.storacha.network",
  gatewayUrl: "https://gateway.storacha.network",
  gatewayDid: "did:web:w3s.link",
};
