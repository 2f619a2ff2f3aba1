import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { accessYaml, assertBuilt, startCli, tempDir, writeAccessFile } from "./harness.js";

/**
 * Ctrl-C before any change: a workspace API on 127.0.0.1 that takes the first request and
 * never answers holds the CLI in its reading phase; SIGINT is sent when that request
 * arrives (no sleep), and the CLI says nothing was changed and exits 130.
 */
describe("Ctrl-C while reading the workspace", () => {
  it.each([[["plan"]], [["apply", "--auto-approve"]], [["export", "--workspace", "acme-prod"]]])(
    "%j says nothing was changed and exits 130",
    async (args) => {
      assertBuilt();
      const held: ServerResponse[] = [];
      let interrupt: () => void = () => {};
      const server = createServer((_req, res) => {
        held.push(res);
        if (held.length === 1) interrupt();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const dir = await tempDir();
        await writeAccessFile(dir, "access.yaml", accessYaml({ workspace: "acme-prod", members: [{ email: "a@acme.io", role: "developer" }] }));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const run = startCli(args, { cwd: dir, env: { ANTRYK_API_URL: url, ANTRYK_TOKEN: "t0k3n-never-printed" } });
        interrupt = () => run.child.kill("SIGINT");
        const r = await run.done;
        expect(r.stderr).toBe("\nInterrupted while reading the workspace; nothing was changed.\n");
        expect(r.code).toBe(130);
      } finally {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );
});
