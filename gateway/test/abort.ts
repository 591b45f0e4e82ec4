// A client that walks away mid-stream, as the metering tests need one: streams a chat completion
// with the official client and aborts it after `after` tokens arrived.
import type OpenAI from "openai";

/** Streams a long completion, aborts after `after` tokens; returns the request's id (x-request-id). */
export async function abortAfterTokens(client: OpenAI, model: string, after: number): Promise<string> {
  const controller = new AbortController();
  const { data: stream, response } = await client.chat.completions
    .create(
      { model, messages: [{ role: "user", content: "Tell me" }], max_tokens: 400, stream: true },
      { signal: controller.signal },
    )
    .withResponse();
  let received = 0;
  try {
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === after) controller.abort();
    }
  } catch {
    // The abort ends the iteration.
  }
  return response.headers.get("x-request-id")!;
}
