import { describe, expect, it } from "vitest";
import { fromText, SETTING_GROUPS, toText, type SettingField } from "./fields.ts";

const field = (key: string): SettingField => SETTING_GROUPS.flatMap((g) => g.fields).find((f) => f.key === key)!;

describe("settings form fields", () => {
  it("shows a list one item per line and reads it back without blank lines", () => {
    const gateways = field("ipfsGateways");
    expect(toText({ ipfsGateways: ["http://a", "http://b"] } as never, gateways)).toBe("http://a\nhttp://b");
    expect(fromText(" http://a \n\n http://b\n", gateways)).toEqual(["http://a", "http://b"]);
  });

  it("reads numbers as numbers and trims text", () => {
    expect(fromText("31337", field("chainId"))).toBe(31337);
    expect(fromText("  http://127.0.0.1:8545 ", field("rpcUrl"))).toBe("http://127.0.0.1:8545");
  });

  it("offers Kubo and Storacha as upload targets and keeps the chosen value as is", () => {
    const target = field("ipfsUploadTarget");
    expect(target.kind).toBe("choice");
    expect(target.options?.map((option) => option.value)).toEqual(["kubo", "storacha"]);
    expect(fromText("storacha", target)).toBe("storacha");
  });

  it("covers every endpoint the app talks to", () => {
    const keys = SETTING_GROUPS.flatMap((g) => g.fields.map((f) => f.key));
    expect(keys).toEqual(
      expect.arrayContaining([
        "chainId",
        "rpcUrl",
        "ipfsUploadTarget",
        "ipfsApiUrl",
        "storachaEmail",
        "storachaServiceUrl",
        "storachaServiceDid",
        "storachaGatewayUrl",
        "storachaGatewayDid",
        "ipfsGateways",
        "hubUrl",
        "akashRestUrl",
        "akashChainId",
      ]),
    );
  });
});
