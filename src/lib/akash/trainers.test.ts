import { describe, expect, it } from "vitest";
import { TRAINER_IMAGES, trainerOfImage } from "./trainers.ts";

describe("trainerOfImage", () => {
  it("knows HEXS's trainer images by name, whatever the tag or digest", () => {
    expect(trainerOfImage(TRAINER_IMAGES.gpu)).toBe("gpu");
    expect(trainerOfImage("ghcr.io/hexs/trainer-gpu:0.2.0")).toBe("gpu");
    expect(trainerOfImage("ghcr.io/hexs/trainer-tiny@sha256:abc")).toBe("tiny");
  });

  it("names no trainer for another image, even one whose name ends the same", () => {
    expect(trainerOfImage("ghcr.io/someone/trainer-gpu:0.1.0")).toBeUndefined();
    expect(trainerOfImage("ghcr.io/hexs/trainer-gpu-fork:0.1.0")).toBeUndefined();
  });
});
