// Ready-to-paste calls of an agent's inference gateway — curl, the official `openai` clients for
// JavaScript and Python — as the agent page shows them and `npm start` prints them. The gateway
// speaks OpenAI's API, so the only HEXS-specific parts are the base URL, the model id and the key.
// The endpoint is whatever the agent's owner or DAO wrote on chain: it is quoted for the shell and
// written as a string literal, so pasting a snippet can never run anything the URL smuggles in.

export interface SnippetTarget {
  /** The agent's endpoint: the OpenAI base URL, ending in /v1. */
  endpoint: string;
  /** The model id the gateway serves: the agent's address, lower case. */
  model: string;
  /** The API key, or a placeholder for one. */
  apiKey: string;
}

const PROMPT = "Tell me a story about a fox.";
const MAX_TOKENS = 60;

/** The endpoint without a trailing slash, so paths join cleanly. */
function base(endpoint: string): string {
  return endpoint.replace(/\/+$/, "");
}

/** One shell word, single-quoted (a quote inside becomes '\''). */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A string literal both JavaScript and Python read back as `text`. */
const literal = (text: string) => JSON.stringify(text);

export function curlSnippet({ endpoint, model, apiKey }: SnippetTarget): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: PROMPT }], max_tokens: MAX_TOKENS });
  return [
    `curl ${shellQuote(`${base(endpoint)}/chat/completions`)} \\`,
    `  -H ${shellQuote(`Authorization: Bearer ${apiKey}`)} \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(body)}`,
  ].join("\n");
}

export function openaiJsSnippet({ endpoint, model, apiKey }: SnippetTarget): string {
  return [
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({ baseURL: ${literal(base(endpoint))}, apiKey: ${literal(apiKey)} });`,
    `const answer = await client.chat.completions.create({`,
    `  model: ${literal(model)},`,
    `  messages: [{ role: "user", content: ${literal(PROMPT)} }],`,
    `  max_tokens: ${MAX_TOKENS},`,
    `});`,
    `console.log(answer.choices[0].message.content);`,
  ].join("\n");
}

export function openaiPythonSnippet({ endpoint, model, apiKey }: SnippetTarget): string {
  return [
    `from openai import OpenAI`,
    ``,
    `client = OpenAI(base_url=${literal(base(endpoint))}, api_key=${literal(apiKey)})`,
    `answer = client.chat.completions.create(`,
    `    model=${literal(model)},`,
    `    messages=[{"role": "user", "content": ${literal(PROMPT)}}],`,
    `    max_tokens=${MAX_TOKENS},`,
    `)`,
    `print(answer.choices[0].message.content)`,
  ].join("\n");
}
