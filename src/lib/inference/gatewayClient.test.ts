import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayRequestError, parseEndpoint, readGatewayModel, readKeyStatus } from "./gatewayClient.ts";

let server: Server;
let base: string;
/** What the fake gateway answers next, by path. */
const answers = new Map<string, { status: number; body: unknown }>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = answers.get(request.url ?? "") ?? { status: 404, body: { error: { message: "no route" } } };
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the gateway client", () => {
  it("calls only http(s) endpoints, without credentials in the URL", () => {
    expect(parseEndpoint("https://gw.example/v1/")).toBe("https://gw.example/v1");
    expect(parseEndpoint(" http://127.0.0.1:8200/v1 ")).toBe("http://127.0.0.1:8200/v1");
    for (const bad of ["javascript:alert(1)", "ftp://x/v1", "not a url", "", "https://user:pw@gw.example/v1"])
      expect(parseEndpoint(bad), bad).toBeUndefined();
  });

  it("reads the served model, and refuses an answer that is not HEXS's API", async () => {
    answers.set("/v1/models/0xabc", {
      status: 200,
      body: {
        id: "0xabc",
        context_length: 64,
        hexs: { chainId: 31337, agent: "0xAbC", weightsCid: "bafy", receiptSigner: "0x1", runtime: "ort" },
      },
    });
    expect((await readGatewayModel(base, "0xabc")).hexs?.weightsCid).toBe("bafy");
    answers.set("/v1/models/0xabc", { status: 200, body: { hello: "world" } });
    await expect(readGatewayModel(base, "0xabc")).rejects.toThrow("is not HEXS's API");
    answers.set("/v1/models/0xabc", { status: 200, body: "<html>" });
    await expect(readGatewayModel(base, "0xabc")).rejects.toBeInstanceOf(GatewayRequestError);
  });

  it("passes on the gateway's own error message and status, and names a gateway that does not answer", async () => {
    answers.set("/v1/key", {
      status: 401,
      body: { error: { message: "This API key has been revoked.", code: "invalid_api_key" } },
    });
    await expect(readKeyStatus(base, "sk-hexs-x")).rejects.toMatchObject({
      status: 401,
      shortMessage: "The gateway answered 401: This API key has been revoked.",
    });
    await expect(readKeyStatus("http://127.0.0.1:9/v1", "sk-hexs-x")).rejects.toThrow(
      "The agent's gateway at http://127.0.0.1:9/v1 did not answer.",
    );
    await expect(readKeyStatus("javascript:alert(1)", "sk-hexs-x")).rejects.toThrow("is not an http(s) URL");
  });
});
