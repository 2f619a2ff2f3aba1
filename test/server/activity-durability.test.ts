import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { initWorkspace, issueToken, seedMembers } from "../../server/admin.js";
import { startServe, type ServeProcess } from "./cli.js";

/**
 * Activity across a SIGKILL of a real `antryk-access serve`: what a graceful stop flushed
 * survives, the activity recorded since the last flush (at most one window) is lost, and
 * nothing else is: every acknowledged change is there, the file is intact.
 */

const dir = mkdtempSync(join(tmpdir(), "antryk-activity-kill-"));
const dbPath = join(dir, "workspace.db");
const children: ServeProcess[] = [];
afterAll(async () => {
  for (const s of children) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await s.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

type Row = { email: string; last_active_at: number | null; last_active_via: string | null; version: number };
const rows = (): Map<string, Row> => {
  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    return new Map((db.prepare("SELECT email, last_active_at, last_active_via, version FROM members").all() as Row[]).map((r) => [r.email, r]));
  } finally {
    db.close();
  }
};

describe("activity across a SIGKILL", () => {
  it("loses at most the activity since the last flush, and nothing else", async () => {
    const owner = initWorkspace(dbPath, { workspace: "acme", owner: "founder@acme.io" });
    seedMembers(dbPath, { workspace: "acme", emails: ["dev@acme.io"] });
    const dev = issueToken(dbPath, { workspace: "acme", email: "dev@acme.io" });
    const get = (url: string, path: string, token: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/v1/workspaces/acme${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

    // 1: the owner works through antryk-access; a graceful stop flushes it
    const first = await startServe(["--db", dbPath, "--port", "0"], dir);
    children.push(first);
    expect((await get(first.url, "/roles", owner, { "user-agent": "antryk-access/9.9.9" })).status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const flushed = rows().get("founder@acme.io")!;
    expect(flushed.last_active_via).toBe("antryk-access");
    expect(flushed.last_active_at).not.toBeNull();

    // 2: within the next window, the developer and the owner are active and the owner makes a change; then SIGKILL
    const second = await startServe(["--db", dbPath, "--port", "0"], dir);
    children.push(second);
    expect((await get(second.url, "/roles", dev, { "x-antryk-client": "dashboard" })).status).toBe(200);
    const invited = await fetch(`${second.url}/v1/workspaces/acme/invitations`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "new@acme.io", role: "developer" }),
    });
    expect(invited.status).toBe(201);
    const members = (await (await get(second.url, "/members", owner)).json()) as { items: { email: string; lastActiveVia: string | null }[] };
    expect(members.items.map((m) => [m.email, m.lastActiveVia])).toEqual([["founder@acme.io", "api"], ["dev@acme.io", "dashboard"]]);
    second.child.kill("SIGKILL");
    expect(await second.exited).toBe("SIGKILL");

    // what was flushed is there, the window since is lost, and nothing else: the change was acknowledged and is kept
    const after = rows();
    expect(after.get("founder@acme.io")).toEqual(flushed);
    expect(after.get("dev@acme.io")).toMatchObject({ last_active_at: null, last_active_via: null, version: 1 });
    const third = await startServe(["--db", dbPath, "--port", "0"], dir);
    children.push(third);
    const invitations = (await (await get(third.url, "/invitations", owner)).json()) as { items: { email: string }[] };
    expect(invitations.items.map((i) => i.email)).toEqual(["new@acme.io"]);
    const dev3 = ((await (await get(third.url, "/members", owner)).json()) as { items: { email: string; lastActiveAt: string | null }[] }).items.find((m) => m.email === "dev@acme.io");
    expect(dev3?.lastActiveAt).toBeNull();
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  });
});
