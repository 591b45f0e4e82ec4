import { configDefaults, defineConfig } from "vitest/config";

// Unit tests live beside the code they test. They run without the SvelteKit plugin, so they
// import only plain TypeScript modules.
export default defineConfig({
  test: {
    include: [
      "src/**/*.test.ts",
      "dev/**/*.test.ts",
      "models/**/*.test.ts",
      "trainer/**/*.test.ts",
      "gateway/**/*.test.ts",
      "provider-proxy/**/*.test.ts",
    ],
    // The GPU trainer's Python environment (trainer/gpu/setup.sh): thousands of files, no tests of ours.
    exclude: [...configDefaults.exclude, "**/.venv/**"],
    environment: "node",
    testTimeout: 60_000,
  },
});
