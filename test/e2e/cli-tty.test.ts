import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessYaml,
  assertBuilt,
  auditCount,
  people,
  onTerminal,
  recorder,
  startTestServer,
  writeAccessFile,
  APPLY_PROMPT,
  TERMINAL_SCRIPT,
  type TestServer,
} from "./harness.js";

/**
 * apply on a terminal: it asks, only `yes` applies, colours follow the terminal and
 * NO_COLOR, and a long apply draws a progress line. The terminal is a real pseudo-TTY
 * made by util-linux `script`; without it these tests are skipped.
 */

const ESC = "\x1b[";

let server: TestServer;
let file: string;


beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  file = await writeAccessFile(
    server.dir,
    "access.yaml",
    accessYaml({ owner: server.owner, members: people(30).map((email) => ({ email, role: "developer" })) }),
  );
});

afterAll(async () => {
  expect(await recorder.leaks()).toEqual([]);
  await server.close();
});

describe.skipIf(!existsSync(TERMINAL_SCRIPT))("apply on a terminal", () => {
  it("asks, and any answer but yes changes nothing", async () => {
    const before = await auditCount(server);
    const r = await onTerminal(["apply", "-f", file], "y", { env: { ...server.env(), NO_COLOR: "" }, cwd: server.dir });
    expect(r.output).toContain(APPLY_PROMPT);
    expect(r.output).toContain("Apply cancelled: nothing was changed.");
    expect(r.output).toContain(`${ESC}32m+ invite`); // colour on a terminal
    expect(r.code, r.output).toBe(3); // declined: not an error
    expect(await auditCount(server)).toBe(before);
  });

  it("yes applies, with a progress line; NO_COLOR turns colour off", async () => {
    const r = await onTerminal(["apply", "-f", file], "yes", { env: { ...server.env(), NO_COLOR: "1" }, cwd: server.dir });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Applying: \d+\/30/);
    expect(r.output).toContain("Apply complete: 30 applied, 0 failed, 0 skipped, 0 not attempted.");
    expect(r.output).toContain("Verified: the workspace matches access.yaml.");
    expect(r.output).not.toContain(`${ESC}32m`);
    expect(await server.owner$.listInvitations(server.workspace, { status: "pending" })).toHaveLength(30);
  });

  it("with the embedded workspace, the announcement is the very first line, before the file's warnings", async () => {
    const warned = await writeAccessFile(
      server.dir,
      "warned.yaml",
      "version: 1\nworkspace: local-ws\nowner: boss@acme.io\nmembers:\n  - email: a@acme.io\n    role: developer\n    permissions: [logs:read]\n",
    );
    const r = await onTerminal(["plan", "-f", warned], "", { env: { CI: "" }, cwd: server.dir }); // no target outside CI: embedded, in the server's temp folder
    expect(r.code, r.output).toBe(0);
    const lines = r.output.split(/\r?\n/);
    expect(lines[0]).toBe(
      'Using the embedded local workspace "local-ws" (.antryk/workspace.db); set ANTRYK_API_URL and ANTRYK_TOKEN to target a real workspace.',
    );
    expect(lines[1]).toMatch(/warned\.yaml:7:19 warning redundant-permission/);
  });

  it("a change made while the question waits that changes the plan makes yes refuse: nothing is changed", async () => {
    const more = await writeAccessFile(
      server.dir,
      "more.yaml",
      accessYaml({ owner: server.owner, members: [...people(30), "late@acme.io"].map((email) => ({ email, role: "developer" })) }),
    );
    let before = 0;
    const r = await onTerminal(["apply", "-f", more], "yes", { env: server.env(), cwd: server.dir, beforeAnswer: async () => {
      await server.owner$.createInvitation(server.workspace, { email: "walk-in@acme.io", role: "developer" });
      before = await auditCount(server);
    } });
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(
      /error: the plan shown does not match the plan computed now from the same file and the workspace: revokeInvitation:walk-in@acme\.io is in the plan computed now but not in the plan shown; nothing was changed, run plan again/,
    );
    expect(await auditCount(server)).toBe(before);
  });
});
