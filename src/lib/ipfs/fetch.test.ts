import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../../dev/ipfs/node.ts";
import { startTamperingGateway, type TamperingGateway } from "../../../dev/ipfs/tamperingGateway.ts";
import { tempDir } from "../../../dev/ipfs/testing.ts";
import { packFile, packFiles, packJson } from "./car.ts";
import {
  IpfsInvalidCidError,
  IpfsNotFoundError,
  IpfsReadError,
  IpfsUnreachableError,
  IpfsVerificationError,
} from "./errors.ts";
import { verifiedFileStream } from "./carRead.ts";
import { createVerifiedReader, verifiedRead, type VerifiedReader } from "./fetch.ts";
import { kuboAdapter } from "./kubo.ts";
import { uploadCar } from "./upload.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;
let liar: TamperingGateway;
let reader: VerifiedReader;

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
  liar = await startTamperingGateway(node.gatewayUrl);
  reader = await createVerifiedReader({ gateways: [node.gatewayUrl], timeoutMs: 5_000 });
});
afterAll(async () => {
  await reader?.stop();
  await liar?.stop();
  await node?.stop();
  await dir?.remove();
});

async function publish<T extends { root: { toString(): string } }>(
  car: T & Parameters<typeof uploadCar>[1],
): Promise<string> {
  await uploadCar(kuboAdapter({ url: node.url }), car);
  return car.root.toString();
}

function bytesOf(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 11)) & 0xff;
  return out;
}

describe("verified reads", () => {
  it("reads JSON and multi-block files, checked block by block", async () => {
    const card = { name: "tiny-gpt", license: "mit" };
    expect(await reader.json(await publish(await packJson(card)))).toEqual(card);
    const big = bytesOf(5 * 1024 * 1024 + 17);
    expect(await reader.bytes(await publish(await packFile(big)))).toEqual(big);
  });

  it("says a folder has no such path (not found, not unreachable), without waiting for a deadline", async () => {
    const folder = await publish(await packFiles([{ path: "weights/config.json", content: "{}" }]));
    const started = Date.now();
    const missing = verifiedRead(folder, {
      gateways: [node.gatewayUrl],
      path: "weights/model.onnx",
      signal: AbortSignal.timeout(10_000),
    });
    await expect(missing).rejects.toBeInstanceOf(IpfsNotFoundError);
    await expect(missing).rejects.toThrow("has no weights/model.onnx");
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("reads a path inside a directory", async () => {
    const cid = await publish(await packFiles([{ path: "weights/config.json", content: '{"layers":2}' }]));
    expect(await reader.json(cid, { path: "weights/config.json" })).toEqual({ layers: 2 });
  });

  it("rejects content from a gateway that tampers with it, through verified-fetch", async () => {
    const cid = await publish(await packJson({ honest: true }));
    const lied = liar.tampered;
    const lying = await createVerifiedReader({ gateways: [liar.url], timeoutMs: 3_000 });
    try {
      await expect(lying.bytes(cid)).rejects.toBeInstanceOf(IpfsVerificationError);
      const big = await publish(await packFile(bytesOf(3 * 1024 * 1024)));
      await expect(lying.bytes(big)).rejects.toBeInstanceOf(IpfsVerificationError);
    } finally {
      await lying.stop();
    }
    expect(liar.tampered).toBeGreaterThan(lied);
  });

  it("rejects tampered content in verifiedRead, whole files and paths alike", async () => {
    const file = await publish(await packFile(bytesOf(3 * 1024 * 1024)));
    const signal = () => AbortSignal.timeout(3_000);
    await expect(verifiedRead(file, { gateways: [liar.url], signal: signal() })).rejects.toBeInstanceOf(
      IpfsVerificationError,
    );
    const folder = await publish(await packFiles([{ path: "card.json", content: '{"a":1}' }]));
    await expect(
      verifiedRead(folder, { gateways: [liar.url], path: "card.json", signal: signal() }),
    ).rejects.toBeInstanceOf(IpfsVerificationError);
    const bytes = await verifiedRead(folder, { gateways: [node.gatewayUrl], path: "card.json", signal: signal() });
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });

  it("falls through to the next gateway when the first is down", async () => {
    const cid = await publish(await packJson({ fallback: 1 }));
    const bytes = await verifiedRead(cid, {
      gateways: ["http://127.0.0.1:9", node.gatewayUrl],
      signal: AbortSignal.timeout(5_000),
    });
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ fallback: 1 });
  });

  it("fails with a typed error for an unknown CID and an invalid one", async () => {
    const unknown = (await packJson({ never: "uploaded" })).root.toString();
    const error = await reader.bytes(unknown, { signal: AbortSignal.timeout(1_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpfsReadError);
    await expect(reader.bytes("nope")).rejects.toBeInstanceOf(IpfsInvalidCidError);
    // Every gateway answering 404 fails at once rather than at the timeout.
    const started = performance.now();
    await expect(verifiedRead(unknown, { gateways: [node.gatewayUrl] })).rejects.toBeInstanceOf(IpfsNotFoundError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("gateways that do not answer", () => {
  it("say so at once when every gateway refuses the connection, for a file and for a path", async () => {
    const folder = await publish(await packFiles([{ path: "a.txt", content: "a" }]));
    const down = { gateways: ["http://127.0.0.1:9"], signal: AbortSignal.timeout(30_000) };
    await expect(verifiedRead(folder, down)).rejects.toBeInstanceOf(IpfsUnreachableError);
    await expect(verifiedRead(folder, { ...down, path: "a.txt" })).rejects.toThrow(
      "no gateway answered (tried http://127.0.0.1:9)",
    );
  });

  it("end a read at the answer deadline when a gateway takes the connection and stays silent", async () => {
    const silent = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const quiet = await createVerifiedReader({ gateways: [url], timeoutMs: 30_000, answerTimeoutMs: 300 });
    try {
      const cid = (await packJson({ silence: true })).root.toString();
      // The read's own limit is 30 s: only the answer deadline can have ended it.
      await expect(quiet.bytes(cid)).rejects.toBeInstanceOf(IpfsUnreachableError);
    } finally {
      await quiet.stop();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe("verified file streams (one CAR per file)", () => {
  const read = async (cid: string, gateways: string[]) =>
    new Uint8Array(
      await new Response(await verifiedFileStream(cid, { gateways, signal: AbortSignal.timeout(5_000) })).arrayBuffer(),
    );

  it("streams a multi-block file, checked block by block", async () => {
    const big = bytesOf(5 * 1024 * 1024 + 17);
    expect(await read(await publish(await packFile(big)), [node.gatewayUrl])).toEqual(big);
  });

  it("replays a repeated chunk the gateway sends once", async () => {
    const zeros = new Uint8Array(3 * 1024 * 1024 + 5);
    expect(await read(await publish(await packFile(zeros)), [node.gatewayUrl])).toEqual(zeros);
  });

  it("rejects a gateway that tampers with a block", async () => {
    const cid = await publish(await packFile(bytesOf(3 * 1024 * 1024)));
    await expect(read(cid, [liar.url])).rejects.toBeInstanceOf(IpfsVerificationError);
  });

  it("skips a gateway that is down or lacks the file, and fails typed when none has it", async () => {
    const cid = await publish(await packFile(bytesOf(2 * 1024 * 1024)));
    expect((await read(cid, ["http://127.0.0.1:9", node.gatewayUrl])).length).toBe(2 * 1024 * 1024);
    const unknown = (await packJson({ nowhere: true })).root.toString();
    await expect(read(unknown, [node.gatewayUrl])).rejects.toBeInstanceOf(IpfsReadError);
  });
});

describe("failing over from a gateway that lies to an honest one", () => {
  const signal = () => AbortSignal.timeout(10_000);
  const lied = () => {
    const named: string[] = [];
    return { named, onGatewayLied: (gateway: string) => void named.push(gateway) };
  };

  it("reads a whole file from the honest gateway and names the liar", async () => {
    const data = bytesOf(3 * 1024 * 1024 + 3);
    const cid = await publish(await packFile(data));
    const { named, onGatewayLied } = lied();
    const bytes = await verifiedRead(cid, { gateways: [liar.url, node.gatewayUrl], signal: signal(), onGatewayLied });
    expect(bytes).toEqual(data);
    expect(named).toEqual([liar.url]);
  });

  it("reads a path inside a folder from the honest gateway and names the liar", async () => {
    // verified-fetch asks every gateway at once and takes the first block that verifies: the liar
    // is caught when it answers first, so the honest gateway here answers 200 ms late.
    const slow = await startSlowGateway(node.gatewayUrl, 200);
    const folder = await publish(
      await packFiles([
        { path: "config.json", content: '{"model_type":"llama"}' },
        { path: "weights.bin", content: bytesOf(2 * 1024 * 1024) },
      ]),
    );
    const { named, onGatewayLied } = lied();
    try {
      const bytes = await verifiedRead(folder, {
        gateways: [liar.url, slow.url],
        path: "config.json",
        signal: signal(),
        onGatewayLied,
      });
      expect(new TextDecoder().decode(bytes)).toBe('{"model_type":"llama"}');
      expect(named).toEqual([liar.url]);
    } finally {
      await slow.stop();
    }
  });

  it("goes on streaming a file's CAR from the honest gateway after the liar's CAR fails midway, each byte once", async () => {
    const data = bytesOf(6 * 1024 * 1024 + 101);
    const cid = await publish(await packFile(data));
    const { named, onGatewayLied } = lied();
    const stream = await verifiedFileStream(cid, {
      gateways: [liar.url, node.gatewayUrl],
      signal: signal(),
      onGatewayLied,
    });
    expect(new Uint8Array(await new Response(stream).arrayBuffer())).toEqual(data);
    expect(named).toEqual([liar.url]);
  });

  it("fails, naming every liar, when no gateway tells the truth", async () => {
    const cid = await publish(await packFile(bytesOf(2 * 1024 * 1024 + 9)));
    const other = await startTamperingGateway(node.gatewayUrl);
    try {
      const { named, onGatewayLied } = lied();
      const error = await verifiedRead(cid, { gateways: [liar.url, other.url], signal: signal(), onGatewayLied }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IpfsVerificationError);
      expect((error as IpfsVerificationError).details).toContain(liar.url);
      expect((error as IpfsVerificationError).details).toContain(other.url);
      expect(named).toEqual([liar.url, other.url]);
    } finally {
      await other.stop();
    }
  });
});

/** A proxy in front of a gateway that answers every request `delayMs` late. */
async function startSlowGateway(target: string, delayMs: number): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      const upstream = await fetch(new URL(req.url ?? "/", target), {
        method: req.method,
        headers: req.headers.accept ? { accept: req.headers.accept } : {},
      });
      const headers = Object.fromEntries(
        [...upstream.headers].filter(([name]) => name !== "content-length" && name !== "content-encoding"),
      );
      res.writeHead(upstream.status, headers);
      res.end(new Uint8Array(await upstream.arrayBuffer()));
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
