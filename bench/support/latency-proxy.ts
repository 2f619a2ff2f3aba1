import { createServer, connect, type AddressInfo, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1:0 that delays every chunk by half a round trip in each
 * direction, so a benchmark sees what a client sees across a network: `rttMs` per
 * request/answer exchange and per new connection, the server's own work unchanged.
 * Chunks keep their order (equal delays, timers fire in order). Used by the
 * many-workspaces bench to show workspaces overlapping their waits; the delays are
 * the simulated network itself, not a synchronization of anything.
 */
export interface LatencyProxy {
  /** url is the proxy's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/** startLatencyProxy forwards to `target` (an http://host:port URL) with `rttMs` of round-trip delay. */
export function startLatencyProxy(target: string, rttMs: number): Promise<LatencyProxy> {
  const upstream = new URL(target);
  const half = rttMs / 2;
  const sockets = new Set<Socket>();
  const delayed = (from: Socket, to: Socket) => {
    from.on("data", (chunk: Buffer) => void setTimeout(() => to.destroyed || to.write(chunk), half));
    from.on("end", () => void setTimeout(() => to.end(), half));
    from.on("error", () => to.destroy());
    from.on("close", () => void setTimeout(() => to.destroy(), half));
  };
  const server = createServer((client) => {
    const server = connect({ host: upstream.hostname, port: Number(upstream.port) });
    for (const s of [client, server]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    delayed(client, server);
    delayed(server, client);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
