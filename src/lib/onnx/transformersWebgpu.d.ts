// transformers.js with onnxruntime-web's WebGPU build (vite.config.ts, transformersVariants): the
// same module, another copy, loaded only where the browser has WebGPU.
declare module "@huggingface/transformers/webgpu" {
  export * from "@huggingface/transformers";
}
