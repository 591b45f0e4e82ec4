import { describe, expect, it } from "vitest";
import { gpuLabel, gpuOffers, providerGpus } from "./gpus.ts";

const a100 = "capabilities/gpu/vendor/nvidia/model/a100";
const attribute = (key: string, value = "true") => ({ key, value });

describe("GPUs from providers' attributes", () => {
  it("reads each card once, with its memory and interface, from every form providers publish", () => {
    expect(
      providerGpus([
        attribute("region", "eu-west"),
        attribute(a100),
        attribute(`${a100}/ram/80Gi`),
        attribute(`${a100}/interface/SXM`),
        attribute(`${a100}/ram/80Gi/interface/sxm`),
        attribute("capabilities/gpu/vendor/amd/model/MI300X/ram/192Gi"),
        attribute("capabilities/gpu/vendor/nvidia/model/t4", "false"),
        attribute("capabilities/gpu/vendor/intel/model/max1550"),
      ]),
    ).toEqual([
      { vendor: "nvidia", model: "a100", ram: "80Gi", interface: "sxm" },
      { vendor: "amd", model: "mi300x", ram: "192Gi" },
    ]);
  });

  it("groups the same card across providers, NVIDIA first, and names it as Console does", () => {
    const offers = gpuOffers([
      { owner: "akash1a", attributes: [attribute(`${a100}/ram/80Gi/interface/sxm`)] },
      {
        owner: "akash1b",
        attributes: [
          attribute(`${a100}/ram/80Gi/interface/sxm`),
          attribute(`capabilities/gpu/vendor/amd/model/mi300x`),
        ],
      },
      { owner: "akash1c", attributes: [attribute(`${a100}/ram/40Gi/interface/pcie`)] },
    ]);
    expect(offers.map((o) => [gpuLabel(o), o.providers])).toEqual([
      ["NVIDIA A100 40Gi PCIE", ["akash1c"]],
      ["NVIDIA A100 80Gi SXM", ["akash1a", "akash1b"]],
      ["AMD MI300X", ["akash1b"]],
    ]);
  });
});
