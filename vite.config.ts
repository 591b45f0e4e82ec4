import adapter from "@sveltejs/adapter-static";
import { sveltekit } from "@sveltejs/kit/vite";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

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
  // onnxruntime-web is imported only inside the playground's worker, which the dev server's
  // dependency scan does not reach: found on the first visit, it would be optimized then and the
  // page reloaded, dropping what the user had picked. Optimized up front instead.
  optimizeDeps: { include: ["onnxruntime-web/wasm"] },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
