import { describe, expect, it } from "vitest";
import { StopMatcher } from "./stop.ts";

function run(stops: string[], pieces: string[]) {
  const matcher = new StopMatcher(stops);
  let out = "";
  for (const piece of pieces) {
    const { emit, stopped } = matcher.push(piece);
    out += emit;
    if (stopped) return { out, stopped: true };
  }
  return { out: out + matcher.flush(), stopped: false };
}

describe("StopMatcher", () => {
  it("passes text through when there is no stop sequence", () => {
    expect(run([], ["Once ", "upon"])).toEqual({ out: "Once upon", stopped: false });
  });

  it("ends before a stop sequence split across tokens, never sending part of it", () => {
    const matcher = new StopMatcher(["\nUser:"]);
    expect(matcher.push("Hello\nU")).toEqual({ emit: "Hello", stopped: false });
    expect(matcher.push("se")).toEqual({ emit: "", stopped: false });
    expect(matcher.push("r: hi")).toEqual({ emit: "", stopped: true });
  });

  it("releases held text once it can no longer start a stop sequence", () => {
    expect(run(["END"], ["a", "E", "N", "x", "b"])).toEqual({ out: "aENxb", stopped: false });
  });

  it("stops at the earliest of several sequences", () => {
    expect(run(["cat", "dog"], ["hot dog and cat"])).toEqual({ out: "hot ", stopped: true });
  });

  it("keeps held text at the end of a generation without a stop", () => {
    expect(run(["STOP"], ["go ST"])).toEqual({ out: "go ST", stopped: false });
  });
});
