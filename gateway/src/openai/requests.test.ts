import { describe, expect, it } from "vitest";
import { chatTemplateFor, parseChatRequest } from "./requests.ts";

const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const body = (messages: { role: string; content: string }[]) => ({ model: "m", messages });

describe("chat requests", () => {
  it("are rendered with the model's own chat template where it has one, else as role-prefixed turns", () => {
    const messages = [{ role: "user", content: "Hi" }];
    expect(parseChatRequest(body(messages), chatTemplateFor({ template: CHATML })).prompt).toBe(
      "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    );
    expect(parseChatRequest(body(messages), chatTemplateFor(undefined)).prompt).toBe("User: Hi\nAssistant:");
  });

  it("that the model's template refuses get a 400 naming the messages, with the template's reason", () => {
    const alternating = {
      template:
        "{% for m in messages %}{% if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant') }}{% endif %}{{ m['content'] }}{% endfor %}",
    };
    const refused = (() => {
      try {
        parseChatRequest(
          body([
            { role: "user", content: "a" },
            { role: "user", content: "b" },
          ]),
          chatTemplateFor(alternating),
        );
      } catch (error) {
        return error;
      }
    })() as { status: number; param: string; message: string };
    expect(refused).toMatchObject({ status: 400, param: "messages" });
    expect(refused.message).toContain("Conversation roles must alternate");
  });
});
