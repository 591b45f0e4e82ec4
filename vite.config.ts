import adapter from "@sveltejs/adapter-static";
import { sveltekit } from "@sveltejs/kit/vite";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";

/**
 * transformers.js imports onnxruntime-web's WebGPU build (a 27 MB asyncify WASM). On WASM the
 * playground gives it the WASM build the rest of the playground already ships (one 14 MB WASM
 * file); where the browser has WebGPU it imports `@huggingface/transformers/webgpu`, a second copy
 * of transformers.js whose onnxruntime-web is the WebGPU build. Each copy loads only where it
 * runs, so a browser without WebGPU never downloads the larger WASM. (The dev server pre-bundles
 * transformers.js with its own WebGPU-capable build, which runs WASM too: dev/stack/app.test.ts.)
 */
const ONNXRUNTIME_WEB_WASM = fileURLToPath(
  new URL("node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs", import.meta.url),
);
const ONNXRUNTIME_WEB_WEBGPU = fileURLToPath(
  new URL("node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs", import.meta.url),
);
const TRANSFORMERS_WEB = fileURLToPath(
  new URL("node_modules/@huggingface/transformers/dist/transformers.web.js", import.meta.url),
);
const WEBGPU_VARIANT = "?hexs-webgpu";

function transformersVariants(): Plugin {
  return {
    name: "hexs-transformers-variants",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "@huggingface/transformers/webgpu") return `${TRANSFORMERS_WEB}${WEBGPU_VARIANT}`;
      if (source === "onnxruntime-web/webgpu")
        return importer?.endsWith(WEBGPU_VARIANT) ? ONNXRUNTIME_WEB_WEBGPU : ONNXRUNTIME_WEB_WASM;
      return undefined;
    },
    // The variant is the same file under another id: read it from disk.
    load(id) {
      return id.endsWith(WEBGPU_VARIANT) ? readFileSync(TRANSFORMERS_WEB, "utf8") : undefined;
    },
  };
}

export default defineConfig({
  plugins: [
    transformersVariants(),
    sveltekit({
      preprocess: vitePreprocess(),
      compilerOptions: { runes: true },
      adapter: adapter({ pages: "build", assets: "build" }),
      // Hash routing plus relative paths let the same files run at `/`, under
      // `/ipfs/<cid>/` and from any static host without rewrites.
      router: { type: "hash" },
      paths: { relative: true },
    }),
  ],
  // The playground's generation worker imports onnxruntime-web dynamically; only ES-module
  // workers can code-split (the default IIFE format cannot).
  worker: { format: "es", plugins: () => [transformersVariants()] },
  // onnxruntime-web and transformers.js are imported only inside the playground's worker, which the dev server's
  // dependency scan does not reach: found on the first visit, it would be optimized then and the
  // page reloaded, dropping what the user had picked. Optimized up front instead.
  optimizeDeps: { include: ["onnxruntime-web/wasm", "@huggingface/transformers"] },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
