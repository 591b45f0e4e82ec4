import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlSnippet, openaiJsSnippet, openaiPythonSnippet } from "./snippets.ts";

const HOSTILE = `http://127.0.0.1:8200/v1'; touch /tmp/hexs-pwned; echo '"$(id)\`id\`\\`;
const target = { endpoint: HOSTILE, model: "0xabc", apiKey: "sk-hexs-123" };

describe("call snippets", () => {
  it("give the shell the endpoint, the key header and the body as single words, whatever the endpoint holds", () => {
    // The snippet as a user pastes it, with curl replaced by a command that prints its arguments.
    const script = curlSnippet(target).replace(/^curl /, "printf '%s\\n' ");
    const words = execFileSync("bash", ["-c", script], { encoding: "utf8" }).trimEnd().split("\n");
    expect(words[0]).toBe(`${HOSTILE}/chat/completions`);
    expect(words.slice(1)).toEqual([
      "-H",
      "Authorization: Bearer sk-hexs-123",
      "-H",
      "Content-Type: application/json",
      "-d",
      JSON.stringify({
        model: "0xabc",
        messages: [{ role: "user", content: "Tell me a story about a fox." }],
        max_tokens: 60,
      }),
    ]);
  });

  it("hand the openai client the endpoint as a string, not as code", async () => {
    const calls: unknown[] = [];
    class OpenAI {
      chat = { completions: { create: async (body: unknown) => (calls.push(body), { choices: [{ message: {} }] }) } };
      constructor(options: unknown) {
        calls.push(options);
      }
    }
    const body = openaiJsSnippet(target)
      .replace(/^import .*$/m, "")
      .replace(/^console\.log.*$/m, "");
    const run = new Function("OpenAI", `return (async () => { ${body} })();`) as (c: typeof OpenAI) => Promise<void>;
    await run(OpenAI);
    expect(calls[0]).toEqual({ baseURL: HOSTILE, apiKey: "sk-hexs-123" });
    expect(calls[1]).toMatchObject({ model: "0xabc", max_tokens: 60 });
  });

  it("write Python whose string literals read back as the endpoint and key", () => {
    const snippet = openaiPythonSnippet(target);
    const literals = /base_url=(".*"), api_key=(".*")\)/.exec(snippet)!;
    const read = execFileSync("python3", ["-c", `import sys; print(${literals[1]}); print(${literals[2]})`], {
      encoding: "utf8",
    });
    expect(read).toBe(`${HOSTILE}\nsk-hexs-123\n`);
  });
});
