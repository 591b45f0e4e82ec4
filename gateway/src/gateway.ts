// The inference gateway for one agent: an OpenAI-compatible HTTP API whose keys are checked on
// chain, whose usage is reserved, logged and billed before and as tokens leave, settled on chain
// in sequenced batches, and receipted with the operator's registered key.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicClient, createWalletClient, http, type Chain, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ApiKeyFormatError, parseApiKey, type ApiKey } from "../../src/lib/apiKey.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { AgentView, type KeyView } from "./chain/agentView.ts";
import type { GatewayConfig } from "./config.ts";
import { lockDataDir } from "./dataDir.ts";
import { KeyLimits } from "./limits.ts";
import { InsufficientCreditsError, Meter, type Reservation } from "./metering/meter.ts";
import { UsageLog } from "./metering/usageLog.ts";
import { Metrics } from "./metrics.ts";
import {
  badRequest,
  GatewayError,
  insufficientCredits,
  invalidApiKey,
  modelLoading,
  modelNotFound,
  notFound,
  rateLimited,
  serverError,
} from "./openai/errors.ts";
import {
  chatTemplateFor,
  parseChatRequest,
  parseCompletionRequest,
  type GenerationRequest,
} from "./openai/requests.ts";
import {
  chatCompletion,
  chunkWriter,
  EventStream,
  textCompletion,
  usage,
  type FinishReason,
} from "./openai/responses.ts";
import { StopMatcher } from "./openai/stop.ts";
import { ReceiptSigner } from "./receipts.ts";
import { BuiltinRuntime } from "./runtime/builtin.ts";
import type { Runtime } from "./runtime/runtime.ts";
import { UpstreamRuntime } from "./runtime/upstream.ts";
import { Settler } from "./settlement/settler.ts";

const MAX_BODY_BYTES = 1024 * 1024;
/** A progress record every this many delivered tokens (grouped with other writes). */
const PROGRESS_EVERY = 8;

export interface Gateway {
  url: string;
  modelId: string;
  server: Server;
  meter: Meter;
  settler: Settler;
  view: AgentView;
  /** Stops serving, settles what is left and closes the log. */
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, options: { runtime?: Runtime } = {}): Promise<Gateway> {
  const log = (event: string, fields: Record<string, unknown> = {}) =>
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), event, agent: config.agent, ...fields })}\n`,
    );
  const lock = lockDataDir(config.dataDir);
  const transport = http(config.rpcUrl, { batch: true, retryCount: 2 });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = {
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  } as const satisfies Chain;
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient;
  const operator = privateKeyToAccount(config.operatorKey);
  const wallet = createWalletClient({ chain, transport, account: operator });
  const signer = new ReceiptSigner(config.receiptKey, chainId);

  const view = new AgentView(publicClient, config.agent);
  const state = await view.refreshState();
  if (state.operator.toLowerCase() !== operator.address.toLowerCase())
    log("warning", {
      message: `the operator key is ${operator.address}, but the agent's operator is ${state.operator}: settlements will be refused`,
    });
  if (config.registerReceiptSigner && state.receiptSigner.toLowerCase() !== signer.address.toLowerCase()) {
    const hash = await wallet.writeContract({
      address: config.agent,
      abi: agentAbi,
      functionName: "setReceiptSigner",
      args: [signer.address],
    });
    await publicClient.waitForTransactionReceipt({ hash });
    await view.refreshState();
  }
  await view.poll();

  const opened = UsageLog.open(config.dataDir);
  const usageLog = opened.log;
  const meter = new Meter(usageLog, opened.records);
  if (opened.tornBytes > 0) log("log-repaired", { tornBytes: opened.tornBytes });

  const metrics = new Metrics();
  const requests = metrics.counter("hexs_gateway_requests_total", "HTTP requests by route and status");
  const tokens = metrics.counter("hexs_gateway_tokens_total", "tokens billed, by kind");
  metrics.gauge("hexs_gateway_ready", "1 once the model is loaded and verified", () => (runtime.ready ? 1 : 0));
  metrics.gauge("hexs_gateway_log_fsyncs", "grouped fsyncs of the usage log", () => usageLog.fsyncs);
  metrics.gauge("hexs_gateway_settlement_failures", "settlement attempts that failed", () => settler.failures);

  const runtime: Runtime =
    options.runtime ??
    (config.upstream
      ? new UpstreamRuntime(config.upstream)
      : new BuiltinRuntime({ gateways: config.ipfsGateways, threads: config.threads }));
  const settler = new Settler({
    meter,
    view,
    publicClient,
    wallet,
    intervalMs: config.settleIntervalMs,
    maxLines: config.settleMaxLines,
    log,
  });
  const limits = new KeyLimits({
    maxConcurrent: config.maxConcurrentPerKey,
    perMinute: config.requestsPerMinutePerKey,
  });
  const modelId = config.agent.toLowerCase();

  // What a restart interrupted is billed at its last progress, with a receipt, before anything new.
  await Promise.all(
    meter.interrupted.splice(0).map(async (open) => {
      // Cut off before its first token it cost nothing, as any failure of ours would.
      const units = open.completion === 0 ? 0 : open.prompt + open.completion;
      const key = await view.key(open.key, open.user);
      await meter.commit(
        open.id,
        { prompt: open.prompt, completion: open.completion, units, finish: "interrupted" },
        { agent: config.agent, chainSpent: key?.spent ?? 0n, interrupted: true },
      ).durable;
    }),
  );

  /** The signed receipt of a finished request; signing again gives the same signature (RFC 6979). */
  const signedReceipt = (id: string) => {
    const unsigned = meter.receipt(id);
    return unsigned && signer.sign(unsigned);
  };

  /** A load under way: the watcher starts no other. */
  let loading: Promise<void> | undefined;
  /** The last failure logged: a load retried every watch interval logs what changes, not each try. */
  let lastFailure: string | undefined;
  const loadWeights = (weightsCid: string) =>
    (loading ??= (async () => {
      try {
        const info = await runtime.load(weightsCid);
        lastFailure = undefined;
        log("model-loaded", { weightsCid, runtime: info.runtime });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastFailure) log("model-load-failed", { weightsCid, error: message });
        lastFailure = message;
      } finally {
        loading = undefined;
      }
    })());
  const servedWeights = () => (config.upstream ? "upstream" : view.state.weightsCid);
  // Serving starts at once: /ready and 503s say when the model is not loaded yet.
  void loadWeights(servedWeights());

  const watcher = setInterval(() => {
    view
      .poll()
      .then(async (changes) => {
        // A new version is loaded beside the old one and switched to once verified.
        if (changes.versionPublished && !config.upstream) await loadWeights(changes.versionPublished);
        // Nothing served yet (an upstream still starting, as vLLM does for minutes; an IPFS
        // gateway that was down): try again.
        else if (!runtime.ready) await loadWeights(servedWeights());
      })
      .catch((error: unknown) =>
        log("watch-failed", { error: error instanceof Error ? error.message : String(error) }),
      );
  }, config.watchIntervalMs);
  watcher.unref();
  settler.start();

  const server = createServer((request, response) => {
    const requestId = `req_${randomBytes(12).toString("hex")}`;
    response.setHeader("x-request-id", requestId);
    allowBrowsers(response);
    const route = routeOf(request);
    if (request.method === "OPTIONS") {
      response.writeHead(204, { "access-control-max-age": "600" });
      response.end();
      requests({ route, status: "204" });
      return;
    }
    handle(request, response, requestId)
      .catch((error: unknown) =>
        sendError(response, error instanceof GatewayError ? error : serverError("The gateway failed.")),
      )
      .finally(() => requests({ route, status: String(response.statusCode) }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(request.url ?? "/", "http://gateway");
    const path = url.pathname.replace(/\/+$/, "");
    if (request.method === "GET" && path === "/health") return sendJson(response, 200, { status: "ok" });
    if (request.method === "GET" && path === "/ready") {
      return runtime.ready
        ? sendJson(response, 200, { status: "ready", weightsCid: runtime.info?.weightsCid })
        : sendJson(response, 503, { status: "loading" });
    }
    if (request.method === "GET" && path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      return void response.end(metrics.render());
    }
    if (request.method === "GET" && path === "/v1/models")
      return sendJson(response, 200, { object: "list", data: [modelCard()] });
    if (request.method === "GET" && path.startsWith("/v1/models/")) {
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      if (id.toLowerCase() !== modelId) throw modelNotFound(id);
      return sendJson(response, 200, modelCard());
    }
    if (request.method === "GET" && path === "/v1/key")
      return sendJson(response, 200, await keyStatus(await authenticate(request)));
    if (request.method === "GET" && path === "/v1/receipts") {
      const { key } = await authenticate(request);
      const data = await Promise.all(meter.recentReceipts(key.keyId).map((receipt) => signer.sign(receipt)));
      return sendJson(response, 200, { object: "list", chainId, data });
    }
    if (request.method === "GET" && path.startsWith("/v1/receipts/")) {
      const { key } = await authenticate(request);
      const receipt = await signedReceipt(decodeURIComponent(path.slice("/v1/receipts/".length)));
      if (!receipt || receipt.keyId !== key.keyId) throw notFound("That receipt");
      return sendJson(response, 200, { object: "receipt", chainId, ...receipt });
    }
    if (request.method === "POST" && (path === "/v1/chat/completions" || path === "/v1/completions")) {
      const body = await readJson(request);
      const parsed =
        path === "/v1/chat/completions"
          ? parseChatRequest(body, chatTemplateFor(runtime.info?.chatTemplate))
          : parseCompletionRequest(body);
      return complete(request, response, requestId, parsed, body as Record<string, unknown>);
    }
    throw notFound(`${request.method} ${path}`);
  }

  function modelCard() {
    const price = view.state.mode === "free" ? "0" : formatWei(view.state.pricePerCredit);
    return {
      id: modelId,
      object: "model",
      created: 0,
      owned_by: view.state.operator.toLowerCase(),
      name: view.state.name,
      context_length: runtime.info?.contextLength ?? null,
      pricing: { currency: "ETH", prompt: price, completion: price, unit: "token" },
      hexs: {
        chainId,
        agent: config.agent,
        weightsCid: runtime.info?.weightsCid ?? view.state.weightsCid,
        receiptSigner: signer.address,
        registeredReceiptSigner: view.state.receiptSigner,
        runtime: runtime.info?.runtime ?? null,
      },
    };
  }

  async function authenticate(request: IncomingMessage): Promise<{ apiKey: ApiKey; key: KeyView }> {
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw invalidApiKey("No API key: send it as 'Authorization: Bearer <key>'.");
    let apiKey: ApiKey;
    try {
      apiKey = parseApiKey(match[1]!.trim());
    } catch (error) {
      throw invalidApiKey(error instanceof ApiKeyFormatError ? error.message : "Malformed API key.");
    }
    const key = await view.key(apiKey.keyId, apiKey.holder);
    if (!key) throw invalidApiKey("This API key is not registered on this agent.");
    if (key.revokedAt !== 0) throw invalidApiKey("This API key has been revoked.");
    return { apiKey, key };
  }

  async function keyStatus({ key }: { key: KeyView }) {
    const balances = meter.balances(key.keyId);
    const paid = view.state.mode === "paid";
    return {
      object: "api_key",
      key_id: key.keyId,
      holder: key.user,
      agent: config.agent,
      mode: view.state.mode,
      credits: paid ? Number(key.credits) : null,
      spend_cap: Number(key.cap),
      spent: Number(key.spent),
      reserved: balances.reserved,
      unsettled: balances.unsettled + balances.settling,
      available: Math.max(
        0,
        Math.min(paid ? Number(key.credits) : Infinity, Number(key.cap - key.spent)) -
          balances.reserved -
          balances.unsettled -
          balances.settling,
      ),
      refund_pending: key.refundAvailableAt !== 0,
      last_settlement: settler.last
        ? { tx: settler.last.tx, at: new Date(settler.last.at).toISOString(), lines: settler.last.lines }
        : null,
    };
  }

  async function complete(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
    parsed: GenerationRequest,
    body: Record<string, unknown>,
  ): Promise<void> {
    if (parsed.model.toLowerCase() !== modelId) throw modelNotFound(parsed.model);
    const { key } = await authenticate(request);
    if (key.refundAvailableAt !== 0)
      throw insufficientCredits(
        "This key's holder asked for its unspent credits back: no new usage until it buys credits again.",
      );
    if (!runtime.ready) throw modelLoading("The model is loading; try again in a few seconds.");
    const idempotencyKey = headerValue(request, "idempotency-key");
    if (idempotencyKey) {
      const earlier = meter.idempotentRequest(key.keyId, idempotencyKey);
      if (earlier) return replay(response, earlier, parsed);
    }
    const admitted = limits.admit(key.keyId);
    if ("reason" in admitted) throw rateLimited(admitted.reason, admitted.retryAfterSeconds);
    try {
      await run(request, response, requestId, parsed, body, key, idempotencyKey);
    } finally {
      admitted.release();
    }
  }

  /** A retried request with the same `Idempotency-Key` gets the first one's answer, billed once. */
  async function replay(response: ServerResponse, earlierId: string, parsed: GenerationRequest): Promise<void> {
    if (meter.isOpen(earlierId))
      throw new GatewayError(409, "invalid_request_error", "A request with this Idempotency-Key is still running.", {
        code: "idempotency_conflict",
      });
    const outcome = meter.outcome(earlierId);
    const receipt = await signedReceipt(earlierId);
    if (!outcome || !receipt) throw notFound("The earlier request");
    response.setHeader("x-hexs-idempotent-replay", earlierId);
    response.setHeader("x-hexs-receipt-id", earlierId);
    const completed = {
      id: `${parsed.kind === "chat" ? "chatcmpl" : "cmpl"}-${earlierId.slice(4)}`,
      created: Math.floor(Date.now() / 1000),
      model: modelId,
      text: outcome.text ?? "",
      finishReason: (outcome.finish === "length" ? "length" : "stop") as FinishReason,
      usage: usage(outcome.prompt, outcome.completion),
    };
    if (!parsed.stream)
      return sendJson(response, 200, parsed.kind === "chat" ? chatCompletion(completed) : textCompletion(completed));
    const stream = new EventStream(response, {}, config.keepAliveMs);
    const chunks = chunkWriter(parsed.kind, completed, parsed.includeUsage);
    for (const chunk of chunks.opening()) stream.data(chunk);
    if (completed.text) stream.data(chunks.text(completed.text));
    stream.data(chunks.finish(completed.finishReason));
    for (const chunk of chunks.usage(completed.usage)) stream.data({ ...chunk, hexs: { receipt } });
    stream.done();
  }

  async function run(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
    parsed: GenerationRequest,
    body: Record<string, unknown>,
    key: KeyView,
    idempotencyKey: string | undefined,
  ): Promise<void> {
    const input = { kind: parsed.kind, prompt: parsed.prompt, body };
    const prompt = await runtime.countPromptTokens(input);
    const paid = view.state.mode === "paid";
    let reserved: { reservation: Reservation; durable: Promise<void> };
    try {
      reserved = meter.reserve(
        {
          id: requestId,
          key: key.keyId,
          user: key.user,
          prompt,
          max: prompt + parsed.maxTokens,
          weightsCid: runtime.info?.weightsCid ?? view.state.weightsCid,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
        { credits: paid ? Number(key.credits) : Infinity, capLeft: Number(key.cap - key.spent) },
      );
    } catch (error) {
      if (error instanceof InsufficientCreditsError) throw insufficientCredits(error.message);
      throw error;
    }
    const { reservation } = reserved;

    // The client going away stops generation at once; what was delivered is billed.
    const controller = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) controller.abort();
    };
    response.on("close", onClose);
    const stops = new StopMatcher(parsed.stop);
    const tokenEnds: number[] = []; // the text length after each generated token
    let generated = "";
    let sent = "";
    let stopped = false;
    const created = Math.floor(Date.now() / 1000);
    const id = `${parsed.kind === "chat" ? "chatcmpl" : "cmpl"}-${requestId.slice(4)}`;
    const stream = parsed.stream
      ? new EventStream(response, { "x-hexs-receipt-id": requestId }, config.keepAliveMs)
      : undefined;
    const chunks = chunkWriter(parsed.kind, { id, created, model: modelId }, parsed.includeUsage);
    if (stream) for (const chunk of chunks.opening()) stream.data(chunk);
    let deliveredTokens = 0;
    const delivered = () => {
      // A token counts as delivered once any of its text has been sent; sent text only grows.
      while (
        deliveredTokens < tokenEnds.length &&
        (deliveredTokens === 0 ? 0 : tokenEnds[deliveredTokens - 1]!) < sent.length
      )
        deliveredTokens++;
      return deliveredTokens;
    };
    // Generation starts while the reservation is written; its text waits until the reservation
    // is on disk, so nothing leaves that a crash could forget.
    let onDisk = false;
    let held = "";
    let diskFailure: Error | undefined;
    const deliver = (text: string) => {
      if (!text) return;
      if (!onDisk) {
        held += text;
        return;
      }
      sent += text;
      stream?.data(chunks.text(text));
      const n = delivered();
      if (n - reservation.completion >= PROGRESS_EVERY) meter.progress(requestId, n);
    };
    const durable = reserved.durable.then(
      () => {
        onDisk = true;
        const text = held;
        held = "";
        deliver(text);
      },
      (error: unknown) => {
        diskFailure = error instanceof Error ? error : new Error(String(error));
        controller.abort();
      },
    );
    let outcome: { completionTokens: number; promptTokens: number; finish: "length" | "stop" } | undefined;
    let failure: GatewayError | undefined;
    try {
      outcome = await runtime.generate(
        {
          ...input,
          maxTokens: parsed.maxTokens,
          temperature: parsed.temperature,
          topP: parsed.topP,
          seed: parsed.seed,
          signal: controller.signal,
        },
        (text) => {
          if (stopped) return;
          generated += text;
          tokenEnds.push(generated.length);
          const result = stops.push(text);
          deliver(result.emit);
          if (result.stopped) {
            stopped = true;
            controller.abort();
          }
        },
      );
    } catch (error) {
      failure =
        error instanceof GatewayError
          ? error
          : serverError(`Generation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await durable;
    if (diskFailure) failure = serverError(`The usage log could not be written: ${diskFailure.message}`);
    if (!stopped && !controller.signal.aborted) deliver(stops.flush());
    response.off("close", onClose);
    const aborted = controller.signal.aborted && !stopped && !diskFailure;
    // A full answer is billed as the backend counted it; a cut-off one (stop sequence, abort,
    // failure) only for the tokens delivered. The prompt counts at most as reserved.
    const completion = outcome && !stopped && !aborted ? Math.max(delivered(), outcome.completionTokens) : delivered();
    const promptUsed = Math.min(outcome?.promptTokens ?? prompt, prompt);
    // A failure or an abort before the first token costs nothing; otherwise the prompt and what was delivered.
    const units = completion === 0 && (failure || aborted) ? 0 : promptUsed + completion;
    const finish: FinishReason = stopped ? "stop" : outcome?.finish === "length" ? "length" : "stop";
    const keyNow = await view.key(key.keyId, key.user);
    const committed = meter.commit(
      requestId,
      { prompt: promptUsed, completion, units, finish, text: sent },
      { agent: config.agent, chainSpent: keyNow?.spent ?? key.spent, interrupted: failure !== undefined || aborted },
    );
    // The signature is made while the commit is written; the answer waits for both.
    const [receipt] = await Promise.all([signer.sign(committed.receipt), committed.durable]);
    tokens({ kind: "prompt" }, units === 0 ? 0 : promptUsed);
    tokens({ kind: "completion" }, completion);

    const completed = {
      id,
      created,
      model: modelId,
      text: sent,
      finishReason: finish,
      usage: usage(units === 0 ? 0 : promptUsed, completion),
    };
    if (stream) {
      if (failure) return stream.error(failure);
      if (aborted) return stream.close();
      stream.data(chunks.finish(finish));
      for (const chunk of chunks.usage(completed.usage)) stream.data({ ...chunk, hexs: { receipt } });
      return stream.done();
    }
    if (failure) throw failure;
    if (response.destroyed) return;
    response.setHeader("x-hexs-receipt-id", requestId);
    response.setHeader("x-hexs-receipt", Buffer.from(JSON.stringify(receipt)).toString("base64url"));
    const payload = parsed.kind === "chat" ? chatCompletion(completed) : textCompletion(completed);
    sendJson(response, 200, { ...payload, hexs: { receipt } });
  }

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = config.publicUrl ?? `http://${config.host}:${port}`;
  log("listening", {
    url,
    mode: config.upstream ? "upstream" : "built-in",
    operator: operator.address,
    receiptSigner: signer.address,
  });

  let closed: Promise<void> | undefined;
  return {
    url,
    modelId,
    server,
    meter,
    settler,
    view,
    close: () =>
      (closed ??= (async () => {
        clearInterval(watcher);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await settler.stop();
        await runtime.close();
        await usageLog.close();
        lock.release();
      })()),
  };
}

function routeOf(request: IncomingMessage): string {
  const path = (request.url ?? "/").split("?")[0]!;
  if (path.startsWith("/v1/models/")) return "/v1/models/{id}";
  if (path.startsWith("/v1/receipts/")) return "/v1/receipts/{id}";
  return path;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw badRequest(`The request body is larger than ${MAX_BODY_BYTES} bytes.`, undefined, "request_too_large");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw badRequest("The request body is not valid JSON.", undefined, "invalid_json");
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: GatewayError): void {
  if (response.headersSent) return void response.end();
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  sendJson(response, error.status, error.toBody());
}

function formatWei(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/**
 * Any web page may call the API, as OpenAI's and OpenRouter's do: the key travels as a bearer
 * token, never as a cookie, so a page learns nothing its script did not already hold.
 */
function allowBrowsers(response: ServerResponse): void {
  response.setHeader("access-control-allow-origin", "*");
  response.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
  response.setHeader("access-control-allow-headers", "authorization, content-type, idempotency-key");
  response.setHeader("access-control-expose-headers", "x-request-id, x-hexs-receipt, x-hexs-receipt-id, retry-after");
}
