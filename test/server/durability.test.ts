import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { initWorkspace } from "../../server/admin.js";
import { startServe, type ServeProcess } from "./cli.js";

/**
 * Durability: SIGKILL the server in the middle of a stream of writes, restart it on the
 * same file, and find every acknowledged change there and nothing half-written (each
 * invitation with exactly its audit event and token, the revision counting every change).
 */

const dir = mkdtempSync(join(tmpdir(), "antryk-durable-"));
const dbPath = join(dir, "workspace.db");
const children: ServeProcess[] = [];
afterAll(async () => {
  for (const s of children) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await s.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("durability", () => {
  it("keeps every acknowledged change across a SIGKILL, with nothing half-written", async () => {
    const token = initWorkspace(dbPath, { workspace: "acme", owner: "founder@acme.io" });
    const first = await startServe(["--db", dbPath, "--port", "0"], dir);
    children.push(first);
    const acknowledged: { id: string; email: string }[] = [];
    let killed = false;
    const writer = async (lane: number) => {
      for (let i = 0; !killed; i++) {
        const email = `w${lane}-${i}@acme.io`;
        try {
          const res = await fetch(`${first.url}/v1/workspaces/acme/invitations`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ email, role: "developer" }),
          });
          if (res.status === 201) acknowledged.push({ id: ((await res.json()) as { id: string }).id, email });
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
        if (acknowledged.length >= 120 && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    expect(await first.exited).toBe("SIGKILL");

    const second = await startServe(["--db", dbPath, "--port", "0"], dir);
    children.push(second);
    for (const { id, email } of acknowledged) {
      const res = await fetch(`${second.url}/v1/workspaces/acme/invitations/${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect([id, res.status]).toEqual([id, 200]);
      expect(((await res.json()) as { email: string }).email).toBe(email);
    }
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const invitations = (db.prepare("SELECT count(*) AS n FROM invitations").get() as { n: number }).n;
      const created = (db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'invitation.created'").get() as { n: number }).n;
      const tokens = (db.prepare("SELECT count(*) AS n FROM invitation_tokens").get() as { n: number }).n;
      const revision = (db.prepare("SELECT revision FROM workspaces WHERE name = 'acme'").get() as { revision: number }).revision;
      expect(invitations).toBeGreaterThanOrEqual(acknowledged.length);
      expect([created, tokens, revision]).toEqual([invitations, invitations, 1 + invitations]);
    } finally {
      db.close();
    }
  });
});
