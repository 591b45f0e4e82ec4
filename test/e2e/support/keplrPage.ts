// The page half of the Keplr test wallet: a `window.keplr` with Keplr's API as its injected
// provider (chainapsis/keplr-wallet, packages/provider/src/core.ts and cosmjs.ts) shapes it, whose
// every request crosses to the test process (keplrWallet.ts). The page never sees the key. Bytes
// cross as base64: exposed functions take JSON.

export type KeplrReply = { result: unknown } | { error: string };

declare global {
  interface Window {
    __hexsKeplrRequest?: (method: string, args: unknown[]) => Promise<KeplrReply>;
  }
}

/** Runs in the page before any of its scripts (Playwright serializes it: it must stay self-contained). */
export function injectKeplr(): void {
  interface SignDoc {
    bodyBytes: Uint8Array;
    authInfoBytes: Uint8Array;
    chainId: string;
    accountNumber: { toString(): string };
  }
  interface WireKey {
    name: string;
    algo: string;
    pubKey: string;
    address: string;
    bech32Address: string;
    isNanoLedger: boolean;
    isKeystone: boolean;
  }

  const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""));
  const bytes = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  async function call(method: string, ...args: unknown[]): Promise<unknown> {
    const reply = await window.__hexsKeplrRequest!(method, args);
    // Keplr's provider rejects with a plain Error carrying the background's message.
    if ("error" in reply) throw new Error(reply.error);
    return reply.result;
  }

  const keplr = {
    version: "0.12.hexs-test",
    mode: "extension",
    enable: (chainIds: string | string[]) => call("enable", typeof chainIds === "string" ? [chainIds] : chainIds),
    experimentalSuggestChain: (chainInfo: unknown) => call("experimentalSuggestChain", chainInfo),
    async getKey(chainId: string) {
      const key = (await call("getKey", chainId)) as WireKey;
      return { ...key, pubKey: bytes(key.pubKey), address: bytes(key.address) };
    },
    async signDirect(chainId: string, signer: string, doc: SignDoc) {
      const reply = (await call("signDirect", chainId, signer, {
        bodyBytes: base64(doc.bodyBytes),
        authInfoBytes: base64(doc.authInfoBytes),
        chainId: doc.chainId,
        accountNumber: doc.accountNumber.toString(),
      })) as {
        signed: { bodyBytes: string; authInfoBytes: string; chainId: string; accountNumber: string };
        signature: unknown;
      };
      return {
        signed: {
          bodyBytes: bytes(reply.signed.bodyBytes),
          authInfoBytes: bytes(reply.signed.authInfoBytes),
          chainId: reply.signed.chainId,
          // Keplr answers with a Long; a bigint is what CosmJS's own SignDoc holds.
          accountNumber: BigInt(reply.signed.accountNumber),
        },
        signature: reply.signature,
      };
    },
    signAmino: (chainId: string, signer: string, doc: unknown) => call("signAmino", chainId, signer, doc),
    signArbitrary: (chainId: string, signer: string, data: string | Uint8Array) =>
      call("signArbitrary", chainId, signer, typeof data === "string" ? { text: data } : { base64: base64(data) }),
    getOfflineSigner: (chainId: string) => offlineSigner(chainId, true),
    getOfflineSignerOnlyAmino: (chainId: string) => offlineSigner(chainId, false),
    async getOfflineSignerAuto(chainId: string) {
      return offlineSigner(chainId, !(await keplr.getKey(chainId)).isNanoLedger);
    },
  };

  /** Keplr's CosmJSOfflineSigner (or its amino-only sibling): checks the chain and signer, then asks Keplr. */
  function offlineSigner(chainId: string, direct: boolean) {
    const checked = async (docChainId: string, signerAddress: string) => {
      if (docChainId !== chainId) throw new Error("Unmatched chain id with the offline signer");
      if ((await keplr.getKey(docChainId)).bech32Address !== signerAddress) throw new Error("Unknown signer address");
    };
    const amino = {
      async getAccounts() {
        const key = await keplr.getKey(chainId);
        return [{ address: key.bech32Address, algo: "secp256k1", pubkey: key.pubKey }];
      },
      async signAmino(signerAddress: string, doc: { chain_id: string }) {
        await checked(doc.chain_id, signerAddress);
        return keplr.signAmino(chainId, signerAddress, doc);
      },
    };
    if (!direct) return amino;
    return {
      ...amino,
      async signDirect(signerAddress: string, doc: SignDoc) {
        await checked(doc.chainId, signerAddress);
        return keplr.signDirect(chainId, signerAddress, doc);
      },
    };
  }

  const page = window as unknown as Record<string, unknown>;
  page.keplr = keplr;
  // Keplr also injects these for dApps written against its first API.
  page.getOfflineSigner = keplr.getOfflineSigner;
  page.getOfflineSignerOnlyAmino = keplr.getOfflineSignerOnlyAmino;
  page.getOfflineSignerAuto = keplr.getOfflineSignerAuto;
}
