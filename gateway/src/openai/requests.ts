// Request bodies of `POST /v1/chat/completions` and `POST /v1/completions`, checked the way
// OpenAI's API checks them: every parameter this gateway cannot honour is refused with a 400
// naming it, rather than silently ignored, so an application never gets output it did not ask for.
import { ChatTemplateError, renderChatTemplate, type ChatTemplateSpec } from "../../../src/lib/onnx/chatTemplate.ts";
import { badRequest, unsupportedParameter } from "./errors.ts";

export interface GenerationRequest {
  kind: "chat" | "completion";
  model: string;
  /** The text the model continues (chat messages already rendered by the chat template). */
  prompt: string;
  maxTokens: number;
  /** 0 is greedy. */
  temperature: number;
  topP: number | undefined;
  /** Up to four sequences; generation ends before any of them, which is not returned. */
  stop: string[];
  seed: number;
  stream: boolean;
  includeUsage: boolean;
}

export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant";
  content: string;
}

/** How chat messages become the prompt the model continues. */
export type ChatTemplate = (messages: readonly ChatMessage[]) => string;

/** The model's own template where it has one, else role-prefixed turns. */
export function chatTemplateFor(spec: ChatTemplateSpec | undefined): ChatTemplate {
  return spec ? (messages) => renderChatTemplate(spec, messages) : plainChatTemplate;
}

/** The chat template a model without one of its own is given (role-prefixed turns). */

export const plainChatTemplate: ChatTemplate = (messages) =>
  `${messages.map((m) => `${m.role === "assistant" ? "Assistant" : m.role === "user" ? "User" : "System"}: ${m.content}`).join("\n")}\nAssistant:`;

const COMMON = ["model", "temperature", "top_p", "max_tokens", "stop", "seed", "n", "stream", "stream_options", "user"];
const CHAT = new Set([...COMMON, "messages", "max_completion_tokens", "presence_penalty", "frequency_penalty"]);
const COMPLETION = new Set([
  ...COMMON,
  "prompt",
  "echo",
  "best_of",
  "logprobs",
  "presence_penalty",
  "frequency_penalty",
]);
const DEFAULT_CHAT_MAX_TOKENS = 128;
/** OpenAI's own default for `/v1/completions`. */
const DEFAULT_COMPLETION_MAX_TOKENS = 16;
const MAX_TOKENS_LIMIT = 4_096;

type Body = Record<string, unknown>;

export function parseChatRequest(body: unknown, template: ChatTemplate = plainChatTemplate): GenerationRequest {
  const b = object(body);
  refuseUnknown(b, CHAT);
  const messages = parseMessages(b.messages);
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  return {
    ...common(
      b,
      maxTokens === undefined
        ? DEFAULT_CHAT_MAX_TOKENS
        : tokens(maxTokens, b.max_completion_tokens === undefined ? "max_tokens" : "max_completion_tokens"),
    ),
    kind: "chat",
    prompt: rendered(template, messages),
  };
}

/** The prompt, or a 400 naming the messages when the model's own template refuses them. */
function rendered(template: ChatTemplate, messages: readonly ChatMessage[]): string {
  try {
    return template(messages);
  } catch (error) {
    if (!(error instanceof ChatTemplateError)) throw error;
    throw badRequest(
      `The model's chat template refused these messages: ${error.details ?? error.shortMessage}`,
      "messages",
    );
  }
}

export function parseCompletionRequest(body: unknown): GenerationRequest {
  const b = object(body);
  refuseUnknown(b, COMPLETION);
  if (b.echo !== undefined && b.echo !== false) throw unsupportedParameter("echo");
  if (b.best_of !== undefined && b.best_of !== 1) throw unsupportedParameter("best_of");
  if (b.logprobs !== undefined && b.logprobs !== null) throw unsupportedParameter("logprobs");
  return {
    ...common(b, b.max_tokens === undefined ? DEFAULT_COMPLETION_MAX_TOKENS : tokens(b.max_tokens, "max_tokens")),
    kind: "completion",
    prompt: parsePrompt(b.prompt),
  };
}

function common(b: Body, maxTokens: number): Omit<GenerationRequest, "kind" | "prompt"> {
  if (typeof b.model !== "string" || b.model === "")
    throw badRequest("'model' is required.", "model", "missing_required_parameter");
  if (b.n !== undefined && b.n !== 1) throw badRequest("Only n=1 is supported.", "n", "unsupported_value");
  for (const penalty of ["presence_penalty", "frequency_penalty"] as const) {
    if (b[penalty] !== undefined && b[penalty] !== 0) throw unsupportedParameter(penalty);
  }
  const temperature =
    b.temperature === undefined || b.temperature === null ? 1 : number(b.temperature, "temperature", 0, 2);
  const topP = b.top_p === undefined || b.top_p === null ? undefined : number(b.top_p, "top_p", Number.MIN_VALUE, 1);
  const stream = b.stream === undefined || b.stream === null ? false : boolean(b.stream, "stream");
  const options =
    b.stream_options === undefined || b.stream_options === null ? {} : object(b.stream_options, "stream_options");
  if (!stream && b.stream_options !== undefined && b.stream_options !== null)
    throw badRequest("'stream_options' is only allowed when 'stream' is true.", "stream_options");
  for (const key of Object.keys(options))
    if (key !== "include_usage") throw unsupportedParameter(`stream_options.${key}`);
  return {
    model: b.model,
    maxTokens,
    temperature,
    topP: topP === 1 ? undefined : topP,
    stop: parseStop(b.stop),
    seed: b.seed === undefined || b.seed === null ? Math.floor(Math.random() * 2 ** 31) : integer(b.seed, "seed"),
    stream,
    includeUsage:
      options.include_usage === undefined ? false : boolean(options.include_usage, "stream_options.include_usage"),
  };
}

function parseMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw badRequest(
      "'messages' must be a non-empty array.",
      "messages",
      value === undefined ? "missing_required_parameter" : "invalid_type",
    );
  return value.map((message, i) => {
    const m = object(message, `messages[${i}]`);
    if (m.role === "tool" || m.role === "function") throw unsupportedParameter(`messages[${i}].role`);
    if (m.role !== "system" && m.role !== "developer" && m.role !== "user" && m.role !== "assistant")
      throw badRequest(`Invalid role in messages[${i}].`, `messages[${i}].role`);
    for (const key of Object.keys(m))
      if (key !== "role" && key !== "content" && key !== "name") throw unsupportedParameter(`messages[${i}].${key}`);
    return { role: m.role, content: messageText(m.content, `messages[${i}].content`) };
  });
}

/** A message's text: a string, or text parts (images and audio are refused). */
function messageText(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content))
    throw badRequest(`'${param}' must be a string or an array of text parts.`, param, "invalid_type");
  return content
    .map((part, j) => {
      const p = object(part, `${param}[${j}]`);
      if (p.type !== "text") throw unsupportedParameter(`${param}[${j}].type`);
      if (typeof p.text !== "string")
        throw badRequest(`'${param}[${j}].text' must be a string.`, `${param}[${j}].text`, "invalid_type");
      return p.text;
    })
    .join("");
}

function parsePrompt(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
  if (value === undefined) throw badRequest("'prompt' is required.", "prompt", "missing_required_parameter");
  throw badRequest("'prompt' must be a string (one prompt per request).", "prompt", "invalid_type");
}

function parseStop(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length > 4 || !list.every((s) => typeof s === "string" && s.length > 0))
    throw badRequest("'stop' must be a string or up to 4 non-empty strings.", "stop");
  return list;
}

function refuseUnknown(b: Body, allowed: ReadonlySet<string>) {
  for (const key of Object.keys(b)) if (!allowed.has(key)) throw unsupportedParameter(key);
}

function object(value: unknown, param?: string): Body {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw badRequest(
      param ? `'${param}' must be an object.` : "The request body must be a JSON object.",
      param,
      "invalid_type",
    );
  return value as Body;
}

function number(value: unknown, param: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max)
    throw badRequest(
      `'${param}' must be a number from ${min === Number.MIN_VALUE ? "above 0" : min} to ${max}.`,
      param,
    );
  return value;
}

function integer(value: unknown, param: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw badRequest(`'${param}' must be an integer.`, param);
  return value;
}

function tokens(value: unknown, param: string): number {
  const n = integer(value, param);
  if (n < 1 || n > MAX_TOKENS_LIMIT) throw badRequest(`'${param}' must be from 1 to ${MAX_TOKENS_LIMIT}.`, param);
  return n;
}

function boolean(value: unknown, param: string): boolean {
  if (typeof value !== "boolean") throw badRequest(`'${param}' must be a boolean.`, param, "invalid_type");
  return value;
}
