import { describe, expect, it } from "vitest";
import { chatTemplateOf, ChatTemplateError, renderChatTemplate } from "./chatTemplate.ts";

// ChatML, as Qwen2.5's and SmolLM2's tokenizer_config.json carry it.
const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

describe("chat templates", () => {
  it("renders a tokenizer_config.json's template for generation, as transformers does", () => {
    const spec = chatTemplateOf({ chat_template: CHATML, eos_token: "<|im_end|>" })!;
    expect(spec.eosToken).toBe("<|im_end|>");
    expect(
      renderChatTemplate(spec, [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ]),
    ).toBe("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  });

  it("reads the named default template and special tokens given as objects, and none where there is none", () => {
    const spec = chatTemplateOf({
      chat_template: [
        { name: "tool_use", template: "tools" },
        { name: "default", template: "{{ bos_token }}{{ messages[0].content }}" },
      ],
      bos_token: { content: "<s>", lstrip: false },
    })!;
    expect(renderChatTemplate(spec, [{ role: "user", content: "x" }])).toBe("<s>x");
    expect(chatTemplateOf({ unk_token: "<unk>" })).toBeUndefined();
    expect(chatTemplateOf(null)).toBeUndefined();
  });

  it("says so when a template cannot be rendered", () => {
    expect(() => renderChatTemplate({ template: "{% for %}" }, [])).toThrow(ChatTemplateError);
  });
});
