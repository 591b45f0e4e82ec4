import { createServer } from "vite";
import { ROOT, type Service } from "./processes.ts";

/** The dApp's Vite dev server, pointed at the local endpoints through VITE_HEXS_* variables. */
export async function startApp(port: number, env: Record<string, string>): Promise<Service> {
  Object.assign(process.env, env);
  const server = await createServer({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    server: { port, strictPort: true, host: "127.0.0.1" },
    logLevel: "warn",
  });
  await server.listen();
  return { name: "app", url: `http://127.0.0.1:${port}/`, stop: () => server.close() };
}
