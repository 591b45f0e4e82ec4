import {
  createWalletClient,
  hexToBigInt,
  http,
  numberToHex,
  type Chain,
  type EIP1193Parameters,
  type Hex,
  type HDAccount,
} from "viem";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { HDKey, hdKeyToAccount } from "viem/accounts";
import { isLocalChain } from "./targetChain.ts";
import { HexsError } from "../errors.ts";

/**
 * The mnemonic every Hardhat node funds by default. Public knowledge: these keys hold value
 * only on a local chain, which is why the dev wallet refuses to exist anywhere else.
 */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
export const DEV_ACCOUNT_COUNT = 10;

export class DevWalletError extends HexsError {
  override name = "DevWalletError";
  readonly code: number;
  constructor(shortMessage: string, code: number) {
    super(shortMessage);
    this.code = code;
  }
}

type Listener = (...args: unknown[]) => void;

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** What the dev wallet remembers per browser, as an extension would: the site's permission and the account. */
interface DevWalletMemory {
  authorized: boolean;
  selected: number;
}

const MEMORY_KEY = "hexs:dev-wallet";

interface TransactionRequestJson {
  from?: Hex;
  to?: Hex;
  value?: Hex;
  data?: Hex;
  gas?: Hex;
  nonce?: Hex;
}

/**
 * An EIP-1193 provider for the local chain that signs in the page with one of the funded
 * Hardhat accounts, so the whole app can be used without a wallet extension. Everything it
 * does not sign itself goes to the chain's RPC.
 */
export class DevWalletProvider {
  #accounts: readonly HDAccount[] | undefined;
  #memory: DevWalletMemory = { authorized: false, selected: 0 };
  #listeners = new Map<string, Set<Listener>>();
  readonly #chain: Chain;
  readonly #storage: KeyValueStorage | undefined;

  constructor(chain: Chain, storage: KeyValueStorage | undefined = globalThis.localStorage) {
    if (!isLocalChain(chain.id)) {
      throw new DevWalletError(`The dev wallet exists only on the local chain, not on chain ${chain.id}.`, 4901);
    }
    this.#chain = chain;
    this.#storage = storage;
    const remembered = parseMemory(storage?.getItem(MEMORY_KEY));
    if (remembered && remembered.selected < DEV_ACCOUNT_COUNT) this.#memory = remembered;
  }

  /**
   * Derived on first use, not when the app starts: a page that never asks for an account (the
   * marketplace, read-only) should not wait for ten key derivations.
   */
  get accounts(): readonly HDAccount[] {
    // The BIP-39 seed once (2 048 rounds of PBKDF2), then each account from it: deriving every
    // account from the mnemonic repeats the PBKDF2.
    this.#accounts ??= (() => {
      const seed = pbkdf2(sha512, HARDHAT_MNEMONIC.normalize("NFKD"), "mnemonic", { c: 2048, dkLen: 64 });
      const root = HDKey.fromMasterSeed(seed);
      return Array.from({ length: DEV_ACCOUNT_COUNT }, (_, addressIndex) => hdKeyToAccount(root, { addressIndex }));
    })();
    return this.#accounts;
  }

  get selected(): HDAccount {
    return this.accounts[this.#memory.selected]!;
  }

  select(index: number): void {
    if (!this.accounts[index]) throw new DevWalletError(`No dev account #${index}.`, 4100);
    this.#remember({ selected: index });
    this.#emit("accountsChanged", [this.selected.address]);
  }

  on(event: string, listener: Listener): void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener);
    this.#listeners.set(event, set);
  }

  removeListener(event: string, listener: Listener): void {
    this.#listeners.get(event)?.delete(listener);
  }

  async request({ method, params }: EIP1193Parameters): Promise<unknown> {
    const wallet = createWalletClient({ account: this.selected, chain: this.#chain, transport: http() });
    switch (method) {
      case "eth_accounts":
        // Like an extension, it reveals the account only to a site the user has connected.
        return this.#memory.authorized ? [this.selected.address] : [];
      case "eth_requestAccounts":
        this.#remember({ authorized: true });
        return [this.selected.address];
      case "eth_chainId":
        return numberToHex(this.#chain.id);
      case "wallet_requestPermissions":
        this.#remember({ authorized: true });
        return [{ parentCapability: "eth_accounts" }];
      case "wallet_getPermissions":
        return this.#memory.authorized ? [{ parentCapability: "eth_accounts" }] : [];
      case "wallet_revokePermissions":
        this.#remember({ authorized: false });
        return null;
      case "wallet_switchEthereumChain": {
        const [{ chainId }] = params as [{ chainId: Hex }];
        if (Number(chainId) !== this.#chain.id) {
          throw new DevWalletError("The dev wallet works only on the local chain.", 4902);
        }
        return null;
      }
      case "eth_sendTransaction": {
        const [tx] = params as [TransactionRequestJson];
        return wallet.sendTransaction({
          to: tx.to,
          data: tx.data,
          value: tx.value ? hexToBigInt(tx.value) : undefined,
          gas: tx.gas ? hexToBigInt(tx.gas) : undefined,
        });
      }
      case "personal_sign": {
        const [message] = params as [Hex, Hex];
        return this.selected.signMessage({ message: { raw: message } });
      }
      case "eth_signTypedData_v4": {
        const [, typedData] = params as [Hex, string];
        return this.selected.signTypedData(JSON.parse(typedData));
      }
      default:
        return wallet.request({ method, params } as never);
    }
  }

  #remember(patch: Partial<DevWalletMemory>): void {
    this.#memory = { ...this.#memory, ...patch };
    this.#storage?.setItem(MEMORY_KEY, JSON.stringify(this.#memory));
  }

  #emit(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(...args);
  }
}

function parseMemory(text: string | null | undefined): DevWalletMemory | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<DevWalletMemory>;
    if (typeof value.authorized !== "boolean" || !Number.isInteger(value.selected)) return undefined;
    return { authorized: value.authorized, selected: value.selected! };
  } catch {
    return undefined;
  }
}
