// Upload adapter for any Kubo RPC endpoint (`POST /api/v0/dag/import`): the local node, a
// hosted Kubo, or a pinning service speaking the same RPC.
import { CID } from "multiformats/cid";
import type { PackedCar } from "./car.ts";
import { IpfsUploadError } from "./errors.ts";
import type { UploadAdapter, UploadOptions } from "./upload.ts";

export interface KuboAdapterOptions {
  /** RPC base URL, e.g. http://127.0.0.1:5001 (without `/api/v0`). */
  url: string;
  /** Extra request headers, e.g. `Authorization` for a hosted node. */
  headers?: Record<string, string>;
}

const NAME = "kubo";

export function kuboAdapter(options: KuboAdapterOptions): UploadAdapter {
  const endpoint = `${options.url.replace(/\/+$/, "")}/api/v0/dag/import?pin-roots=true`;
  return {
    name: NAME,
    async upload(car, uploadOptions = {}) {
      const { status, body } =
        typeof XMLHttpRequest === "undefined"
          ? await sendWithFetch(endpoint, car, options.headers ?? {}, uploadOptions)
          : await sendWithXhr(endpoint, car, options.headers ?? {}, uploadOptions);
      return rootFromAnswer(endpoint, status, body);
    },
  };
}

/** Reads Kubo's answer: NDJSON lines `{"Root":{"Cid":{"/":…},"PinErrorMsg":""}}`, or an error. */
function rootFromAnswer(endpoint: string, status: number, body: string): CID {
  if (status < 200 || status >= 300) {
    let message = body.trim().slice(0, 500);
    try {
      message = (JSON.parse(body) as { Message?: string }).Message ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new IpfsUploadError(NAME, `the node refused the upload (HTTP ${status})`, {
      details: `${message} — ${endpoint}`,
    });
  }
  for (const line of body.split("\n")) {
    if (line.trim() === "") continue;
    let parsed: { Root?: { Cid?: { "/"?: string }; PinErrorMsg?: string } };
    try {
      parsed = JSON.parse(line);
    } catch (cause) {
      throw new IpfsUploadError(NAME, "the node's answer is not JSON", { details: line.slice(0, 200), cause });
    }
    const root = parsed.Root;
    if (root === undefined) continue;
    if (root.PinErrorMsg)
      throw new IpfsUploadError(NAME, "the node could not pin the root", { details: root.PinErrorMsg });
    try {
      return CID.parse(root.Cid?.["/"] ?? "");
    } catch (cause) {
      throw new IpfsUploadError(NAME, "the node answered an invalid root CID", { details: line, cause });
    }
  }
  throw new IpfsUploadError(NAME, "the node's answer names no root", { details: body.slice(0, 200) });
}

interface Answer {
  status: number;
  body: string;
}

/** Browsers: XHR, because it reports upload progress and sends a Blob without buffering it. */
function sendWithXhr(
  endpoint: string,
  car: PackedCar,
  headers: Record<string, string>,
  options: UploadOptions,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", endpoint);
    for (const [key, value] of Object.entries(headers)) xhr.setRequestHeader(key, value);
    xhr.upload.onprogress = (event) =>
      options.onProgress?.({ loaded: Math.min(event.loaded, car.size), total: car.size });
    xhr.onload = () => {
      options.onProgress?.({ loaded: car.size, total: car.size });
      resolve({ status: xhr.status, body: xhr.responseText });
    };
    xhr.onerror = () => reject(new IpfsUploadError(NAME, "network error while uploading", { details: endpoint }));
    xhr.onabort = () => reject(options.signal?.reason ?? new DOMException("upload aborted", "AbortError"));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", car.blob(), "upload.car");
    xhr.send(form);
  });
}

/** Node and workers: fetch with a streamed multipart body, counting bytes as they leave. */
async function sendWithFetch(
  endpoint: string,
  car: PackedCar,
  headers: Record<string, string>,
  options: UploadOptions,
): Promise<Answer> {
  const boundary = `hexs-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.car"\r\nContent-Type: application/vnd.ipld.car\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  let loaded = 0;
  const counted = car.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.length;
        options.onProgress?.({ loaded, total: car.size });
        controller.enqueue(chunk);
      },
    }),
  );
  const body = concatStreams([head, counted, tail]);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { ...headers, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      signal: options.signal ?? null,
      duplex: "half",
    } as RequestInit);
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new IpfsUploadError(NAME, "network error while uploading", { details: endpoint, cause });
  }
  return { status: response.status, body: await response.text() };
}

function concatStreams(parts: (Uint8Array | ReadableStream<Uint8Array>)[]): ReadableStream<Uint8Array> {
  let index = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (reader) {
          const { done, value } = await reader.read();
          if (!done) return controller.enqueue(value);
          reader = undefined;
        }
        const part = parts[index++];
        if (part === undefined) return controller.close();
        if (part instanceof Uint8Array) return controller.enqueue(part);
        reader = part.getReader();
      }
    },
  });
}
