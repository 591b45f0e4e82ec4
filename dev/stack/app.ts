import { createLogger, createServer } from "vite";
import { ROOT, type Service } from "./processes.ts";

/**
 * The dApp's Vite dev server, pointed at the local endpoints through VITE_HEXS_* variables.
 * `cacheDir` moves Vite's dependency cache (a test starts from an empty one, as a fresh clone does).
 */
export async function startApp(
  port: number,
  env: Record<string, string>,
  options: { cacheDir?: string } = {},
): Promise<Service> {
  Object.assign(process.env, env);
  const server = await createServer({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    server: { port, strictPort: true, host: "127.0.0.1" },
    customLogger: stackLogger(),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  });
  await server.listen();
  return { name: "app", url: `http://127.0.0.1:${port}/`, stop: () => server.close() };
}

/**
 * Vite's warnings and errors, and of its information only what explains a page reloading in
 * front of the user (a dependency optimized late); the rest would drown the stack's own output.
 */
function stackLogger() {
  const logger = createLogger("info", { prefix: "[app]" });
  const info = logger.info.bind(logger);
  logger.info = (message, options) => {
    if (/optimiz|reload/i.test(message)) info(message, { ...options, timestamp: true });
  };
  return logger;
}
