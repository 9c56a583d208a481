/**
 * A loopback HTTP proxy in front of the registry that can hold a POST at a
 * chosen point, so a test can SIGKILL the uploader "during the POST":
 *   - "hold-request":  the request arrived but is never forwarded (the registry never sees it);
 *   - "hold-response": forwarded and stored, but the reply is never passed back (a lost reply);
 *   - "pass":          a plain proxy.
 * `held` resolves when the first POST has reached the chosen point.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyMode = "pass" | "hold-request" | "hold-response";

export interface SlowProxy {
  url: string;
  held: Promise<void>;
  /** Upstream status of each forwarded request. */
  forwarded: number[];
  close(): Promise<void>;
}

export async function startSlowProxy(target: string, mode: ProxyMode): Promise<SlowProxy> {
  let markHeld!: () => void;
  const held = new Promise<void>((r) => (markHeld = r));
  const forwarded: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const isPost = req.method === "POST";
      if (isPost && mode === "hold-request") {
        markHeld();
        return; // the client waits until it is killed
      }
      const upstream = await fetch(new URL(req.url ?? "/", target), {
        method: req.method,
        headers: { "content-type": req.headers["content-type"] ?? "application/json" },
        body: isPost ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      forwarded.push(upstream.status);
      if (isPost && mode === "hold-response") {
        markHeld();
        return;
      }
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    forwarded,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
