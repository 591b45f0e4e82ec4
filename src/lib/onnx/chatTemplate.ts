// A model's chat template (the Jinja `chat_template` of its tokenizer_config.json), rendered as
// transformers renders it for generation: the messages, `add_generation_prompt`, and the
// tokenizer's special tokens. With @huggingface/jinja, the renderer transformers.js uses.
import { Template } from "@huggingface/jinja";
import { HexsError } from "../errors.ts";

export interface ChatTemplateSpec {
  template: string;
  bosToken?: string | undefined;
  eosToken?: string | undefined;
}

export interface ChatTurn {
  role: string;
  content: string;
}

export class ChatTemplateError extends HexsError {
  override name = "ChatTemplateError";
}

/** The chat template of a tokenizer_config.json, if it has one (a string, or the named "default"). */
export function chatTemplateOf(tokenizerConfig: unknown): ChatTemplateSpec | undefined {
  const config = tokenizerConfig as Record<string, unknown> | null;
  const raw = config?.chat_template;
  const template =
    typeof raw === "string"
      ? raw
      : Array.isArray(raw)
        ? (raw as { name?: unknown; template?: unknown }[]).find((t) => t.name === "default")?.template
        : undefined;
  if (typeof template !== "string") return undefined;
  const token = (value: unknown) =>
    typeof value === "string"
      ? value
      : typeof (value as { content?: unknown })?.content === "string"
        ? (value as { content: string }).content
        : undefined;
  return { template, bosToken: token(config?.bos_token), eosToken: token(config?.eos_token) };
}

/** The prompt the model continues for `messages`, ending where the assistant's answer begins. */
export function renderChatTemplate(spec: ChatTemplateSpec, messages: readonly ChatTurn[]): string {
  try {
    return new Template(spec.template).render({
      messages,
      add_generation_prompt: true,
      bos_token: spec.bosToken ?? "",
      eos_token: spec.eosToken ?? "",
    });
  } catch (cause) {
    throw new ChatTemplateError("the model's chat template could not be rendered", {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}
