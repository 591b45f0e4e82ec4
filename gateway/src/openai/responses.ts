// Response bodies and stream chunks exactly as OpenAI's API writes them, so unchanged clients
// (the official SDKs, LangChain, curl scripts) parse them.
import type { ServerResponse } from "node:http";
import type { GatewayError } from "./errors.ts";

export type FinishReason = "stop" | "length";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const usage = (prompt: number, completion: number): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

export interface Completed {
  id: string;
  created: number;
  model: string;
  text: string;
  finishReason: FinishReason;
  usage: Usage;
}

export function chatCompletion(c: Completed) {
  return {
    id: c.id,
    object: "chat.completion",
    created: c.created,
    model: c.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: c.text, refusal: null },
        logprobs: null,
        finish_reason: c.finishReason,
      },
    ],
    usage: c.usage,
  };
}

export function textCompletion(c: Completed) {
  return {
    id: c.id,
    object: "text_completion",
    created: c.created,
    model: c.model,
    choices: [{ text: c.text, index: 0, logprobs: null, finish_reason: c.finishReason }],
    usage: c.usage,
  };
}

/** The chunks of one streamed completion, for the chat or the completions API. */
export function chunkWriter(
  kind: "chat" | "completion",
  head: { id: string; created: number; model: string },
  includeUsage: boolean,
) {
  const base = {
    id: head.id,
    object: kind === "chat" ? "chat.completion.chunk" : "text_completion",
    created: head.created,
    model: head.model,
  };
  // With include_usage, every chunk carries `usage: null` and one last chunk the usage itself.
  const withUsage = (chunk: object) => (includeUsage ? { ...chunk, usage: null } : chunk);
  return {
    /** The chat API opens with the role; the completions API has no opening chunk. */
    opening: () =>
      kind === "chat"
        ? [
            withUsage({
              ...base,
              choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
            }),
          ]
        : [],
    text: (text: string) =>
      withUsage({
        ...base,
        choices: [
          kind === "chat"
            ? { index: 0, delta: { content: text }, logprobs: null, finish_reason: null }
            : { text, index: 0, logprobs: null, finish_reason: null },
        ],
      }),
    finish: (reason: FinishReason) =>
      withUsage({
        ...base,
        choices: [
          kind === "chat"
            ? { index: 0, delta: {}, logprobs: null, finish_reason: reason }
            : { text: "", index: 0, logprobs: null, finish_reason: reason },
        ],
      }),
    usage: (u: Usage) => (includeUsage ? [{ ...base, choices: [], usage: u }] : []),
  };
}

/** Server-sent events on a response, with keep-alive comments while nothing else is sent. */
export class EventStream {
  readonly #response: ServerResponse;
  #timer: NodeJS.Timeout;

  constructor(response: ServerResponse, headers: Record<string, string>, keepAliveMs: number) {
    this.#response = response;
    response.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    response.flushHeaders();
    this.#timer = setInterval(() => this.#write(": keep-alive\n\n"), keepAliveMs);
    this.#timer.unref();
  }

  data(value: object): void {
    this.#write(`data: ${JSON.stringify(value)}\n\n`);
  }

  /** An error after the stream started: an `error` event, then the end of the stream. */
  error(error: GatewayError): void {
    this.#write(`event: error\ndata: ${JSON.stringify(error.toBody())}\n\n`);
    this.close();
  }

  done(): void {
    this.#write("data: [DONE]\n\n");
    this.close();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#response.end();
  }

  #write(text: string): void {
    if (!this.#response.writableEnded) this.#response.write(text);
  }
}
