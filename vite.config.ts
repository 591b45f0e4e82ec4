import adapter from "@sveltejs/adapter-static";
import { sveltekit } from "@sveltejs/kit/vite";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * transformers.js imports onnxruntime-web's WebGPU build (its own, a 27 MB asyncify WASM); the
 * playground runs it on WASM, so it gets the WASM build the rest of the playground already
 * ships: one onnxruntime-web and one 14 MB WASM file on the site instead of two.
 */
const ONNXRUNTIME_WEB_WASM = fileURLToPath(
  new URL("node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs", import.meta.url),
);

export default defineConfig({
  plugins: [
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
  worker: { format: "es" },
  resolve: { alias: [{ find: /^onnxruntime-web\/webgpu$/, replacement: ONNXRUNTIME_WEB_WASM }] },
  // onnxruntime-web and transformers.js are imported only inside the playground's worker, which the dev server's
  // dependency scan does not reach: found on the first visit, it would be optimized then and the
  // page reloaded, dropping what the user had picked. Optimized up front instead.
  optimizeDeps: { include: ["onnxruntime-web/wasm", "@huggingface/transformers"] },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
