// Content types for deserialized gateway responses: by file extension, then by a sniff of the
// first bytes for files reached by bare CID (a model card's JSON, an image).
const BY_EXTENSION: Record<string, string> = {
  html: "text/html; charset=utf-8",
  htm: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  webmanifest: "application/manifest+json",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  ico: "image/x-icon",
  woff: "font/woff",
  woff2: "font/woff2",
  wasm: "application/wasm",
  map: "application/json",
  onnx: "application/octet-stream",
  safetensors: "application/octet-stream",
};

export function contentTypeFor(name: string, head: Uint8Array): string {
  const dot = name.lastIndexOf(".");
  const known = dot >= 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
  if (known) return known;
  return sniff(head);
}

function sniff(head: Uint8Array): string {
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8) return "image/jpeg";
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head.subarray(0, 512)).trimStart();
  if (text.startsWith("{") || text.startsWith("[")) return "application/json";
  if (/^<!doctype html|^<html/i.test(text)) return "text/html; charset=utf-8";
  return "application/octet-stream";
}
