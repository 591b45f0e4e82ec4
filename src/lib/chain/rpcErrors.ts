// What wallets, RPC nodes and wagmi report, as sentences a user can act on. viem and wagmi wrap
// errors in each other (a transaction that fails estimation is an EstimateGasExecutionError
// around an InsufficientFundsError around the node's own message), so the chain of causes is
// searched for the most specific class listed here. Contract reverts are contractErrors.ts's.
import {
  ChainNotConfiguredError,
  ConnectorAccountNotFoundError,
  ConnectorAlreadyConnectedError,
  ConnectorChainMismatchError,
  ConnectorNotConnectedError,
  ConnectorNotFoundError,
  ConnectorUnavailableReconnectingError,
  ProviderNotFoundError,
  SwitchChainNotSupportedError,
} from "@wagmi/core";
import {
  ChainDisconnectedError,
  ChainMismatchError,
  ContractFunctionZeroDataError,
  FeeCapTooLowError,
  HttpRequestError,
  InsufficientFundsError,
  IntrinsicGasTooLowError,
  LimitExceededRpcError,
  MethodNotSupportedRpcError,
  NonceTooHighError,
  NonceTooLowError,
  ProviderDisconnectedError,
  ResourceUnavailableRpcError,
  SwitchChainError,
  TimeoutError,
  TransactionNotFoundError,
  TransactionRejectedRpcError,
  UnauthorizedProviderError,
  UnsupportedProviderMethodError,
  WaitForTransactionReceiptTimeoutError,
  WebSocketRequestError,
} from "viem";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- error classes take any constructor arguments
type ErrorClass = abstract new (...args: any[]) => Error;

interface Rule<E extends ErrorClass> {
  type: E;
  /** The sentence for `error`; `causes` is the whole chain it was found in, outermost first. */
  sentence: (error: InstanceType<E>, causes: readonly Error[]) => string;
}

const rule = <E extends ErrorClass>(type: E, sentence: Rule<E>["sentence"]): Rule<E> => ({ type, sentence });

/**
 * Every wallet, RPC and wagmi error class the app can meet, most specific first; the test beside
 * this file builds one of each and checks its sentence.
 */
export const RPC_ERROR_RULES: readonly Rule<ErrorClass>[] = [
  rule(ChainMismatchError, (e) => {
    // viem states both chains only in its message: "… wallet (id: 1) … transaction (id: 31337 – Hardhat)".
    const [, current, target] = /wallet \(id: (\d+)\).*transaction \(id: ([^)]+)\)/.exec(e.shortMessage) ?? [];
    return current && target
      ? `Your wallet is on chain ${current}, but this app uses chain ${target.replace(" – ", ", ")}: switch it from the banner or in your wallet, then try again.`
      : "Your wallet is on another network than this app: switch it from the banner or in your wallet, then try again.";
  }),
  rule(
    ConnectorChainMismatchError,
    () => "Your wallet is on another network than this app: switch it from the banner, then try again.",
  ),
  rule(ContractFunctionZeroDataError, (_, causes) => {
    const address = causes
      .map((cause) => (cause as { contractAddress?: string }).contractAddress)
      .find((a) => a !== undefined);
    return `No contract answered${address ? ` at ${address}` : ""} on this chain: it is not a HEXS agent here, or the RPC in Settings points at another chain.`;
  }),
  rule(
    InsufficientFundsError,
    () => "Your account does not hold enough ETH for this transaction and its gas. Add funds and try again.",
  ),
  rule(
    NonceTooLowError,
    () =>
      "Your wallet sent this transaction with a number already used (another transaction went first). Try again; if it repeats, reset the account's activity in your wallet.",
  ),
  rule(
    NonceTooHighError,
    () =>
      "Your wallet is ahead of the chain (a transaction of yours is still pending, or the chain restarted). Reset the account's activity in your wallet.",
  ),
  rule(
    IntrinsicGasTooLowError,
    () => "The transaction was given too little gas to start. Let your wallet estimate the gas.",
  ),
  rule(FeeCapTooLowError, () => "The fee offered is below the chain's current base fee. Try again with a higher fee."),
  rule(
    WaitForTransactionReceiptTimeoutError,
    () =>
      "The transaction was sent but not seen in a block in time. It may still confirm: look it up in your wallet before sending it again.",
  ),
  rule(
    TransactionNotFoundError,
    () => "The chain does not know this transaction (yet): it may have been dropped. Check your wallet's activity.",
  ),
  rule(
    ResourceUnavailableRpcError,
    () => "Your wallet already has a request waiting: open it, answer that one, then try again.",
  ),
  rule(TransactionRejectedRpcError, (e) => `The node refused the transaction: ${e.details || e.shortMessage}`),
  rule(
    MethodNotSupportedRpcError,
    () => "The RPC endpoint does not offer what this needs: choose a full node in Settings.",
  ),
  rule(
    UnsupportedProviderMethodError,
    () => "Your wallet does not support this request: try another wallet, or update this one.",
  ),
  rule(
    UnauthorizedProviderError,
    () => "Your wallet has not allowed this site to use the account: connect again and approve it.",
  ),
  rule(
    LimitExceededRpcError,
    () => "The RPC endpoint is limiting requests: wait a moment, or choose another endpoint in Settings.",
  ),
  rule(SwitchChainError, () => "Your wallet could not switch networks: switch it by hand, then try again."),
  rule(
    SwitchChainNotSupportedError,
    () => "Your wallet cannot switch networks for the app: switch it by hand, then try again.",
  ),
  rule(ChainDisconnectedError, () => "Your wallet has lost its connection to the network. Reconnect it and try again."),
  rule(ProviderDisconnectedError, () => "Your wallet is disconnected. Reconnect it and try again."),
  rule(ConnectorNotConnectedError, () => "Connect a wallet first."),
  rule(ConnectorAccountNotFoundError, () => "Your wallet does not offer that account any more: connect again."),
  rule(ConnectorAlreadyConnectedError, () => "That wallet is already connected."),
  rule(ConnectorNotFoundError, () => "That wallet is not available in this browser."),
  rule(ConnectorUnavailableReconnectingError, () => "Your wallet is still reconnecting: wait a moment and try again."),
  rule(ProviderNotFoundError, () => "No wallet was found in this browser. Install one, or use the dev wallet."),
  rule(ChainNotConfiguredError, () => "This app is not set up for that network: check the chain in Settings."),
  rule(TimeoutError, (e) => {
    const url = /URL: (http\S+)/.exec(e.message)?.[1];
    return `The RPC endpoint${url ? ` ${url}` : ""} did not answer in time. Check it in Settings.`;
  }),
  rule(HttpRequestError, (e) => `Cannot reach the RPC endpoint${e.url ? ` ${e.url}` : ""}. Check it in Settings.`),
  rule(WebSocketRequestError, () => "The RPC endpoint's WebSocket failed. Check the endpoint in Settings."),
];

/** The sentence for the most specific listed error in `error`'s chain of causes, if any. */
export function rpcErrorSentence(error: unknown): string | undefined {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error; current = current.cause) chain.push(current);
  for (const { type, sentence } of RPC_ERROR_RULES) {
    const match = chain.find((e) => e instanceof type);
    if (match) return sentence(match as never, chain);
  }
  return undefined;
}
