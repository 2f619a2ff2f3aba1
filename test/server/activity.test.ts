import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActivityVia } from "../../schema/api.js";
import { ACTIVITY_WINDOW_MS, ActivityTracker, sqliteActivityStore, type ActivityEntry } from "../../server/activity.js";
import { initWorkspace, seedMembers } from "../../server/admin.js";
import { openDatabase, type Db } from "../../server/db/open.js";
import { startWorkspace, testClock, wsPath, type TestWorkspace } from "./harness.js";

/**
 * Access activity (server/activity.ts): recorded in memory on every authenticated request,
 * written in one batched statement at most once per window, merged into reads, and a crash
 * between flushes loses what was recorded since the last flush and nothing else.
 */

const T0 = Date.parse("2027-01-01T00:00:00.000Z");
const MIN = 60_000;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Step is one thing that happens to the tracker, at a minute of the clock. */
type Step =
  | { at: number; record: string; via?: ActivityVia }
  | { at: number; crash: true } // the process dies: the tracker is dropped unflushed, a new one opens the file
  | { at: number; close: true }; // a graceful stop: close() flushes

interface Case {
  name: string;
  steps: Step[];
  /** writes: how many batched statements ran and how many members each wrote. */
  writes: number[];
  /** stored: each member's last_active_at (minutes after T0) and via in the file at the end; null: never written. */
  stored: Record<string, [number, ActivityVia] | null>;
  /** shown: what reads show at the end (stored merged with memory). */
  shown: Record<string, [number, ActivityVia] | null>;
}

const W = ACTIVITY_WINDOW_MS / MIN;
const cases: Case[] = [
  {
    name: "a request is recorded in memory only: reads show it, nothing is written",
    steps: [{ at: 1, record: "a", via: "dashboard" }],
    writes: [],
    stored: { a: null, b: null },
    shown: { a: [1, "dashboard"], b: null },
  },
  {
    name: "requests within the window are one write, made by the first request once the window has passed",
    steps: [
      { at: 1, record: "a" },
      { at: 5, record: "b", via: "antryk-access" },
      { at: W - 1, record: "a", via: "dashboard" },
      { at: W, record: "b", via: "api" },
    ],
    writes: [2],
    stored: { a: [W - 1, "dashboard"], b: [W, "api"] },
    shown: { a: [W - 1, "dashboard"], b: [W, "api"] },
  },
  {
    name: "a busy member is written at most once per window",
    steps: [0, 3, 6, 9, 10, 13, 16, 19, 20, 21].map((at) => ({ at, record: "a" })),
    writes: [1, 1],
    stored: { a: [20, "api"] },
    shown: { a: [21, "api"] },
  },
  {
    name: "a crash between flushes loses what was recorded since the last flush, and nothing else",
    steps: [
      { at: 1, record: "a", via: "dashboard" },
      { at: W + 1, record: "b", via: "antryk-access" }, // flushes a and b
      { at: W + 2, record: "a", via: "api" },
      { at: W + 3, record: "c" },
      { at: W + 4, crash: true },
    ],
    writes: [2],
    stored: { a: [1, "dashboard"], b: [W + 1, "antryk-access"], c: null },
    shown: { a: [1, "dashboard"], b: [W + 1, "antryk-access"], c: null },
  },
  {
    name: "a graceful stop writes what is pending",
    steps: [
      { at: 1, record: "a" },
      { at: 2, close: true },
    ],
    writes: [1],
    stored: { a: [1, "api"] },
    shown: { a: [1, "api"] },
  },
  {
    name: "after a crash the next window starts afresh and the stored times are never moved back",
    steps: [
      { at: 1, record: "a", via: "dashboard" },
      { at: 2, close: true },
      { at: 3, record: "a", via: "api" },
      { at: 4, crash: true },
      { at: 5, record: "b" },
      { at: 5 + W, record: "b" },
    ],
    writes: [1, 1],
    stored: { a: [1, "dashboard"], b: [5 + W, "api"] },
    shown: { a: [1, "dashboard"], b: [5 + W, "api"] },
  },
];

describe("ActivityTracker", () => {
  let db: Db;
  let dbPath: string;
  let ids: Map<string, string>;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), "antryk-activity-"));
    dirs.push(dir);
    dbPath = join(dir, "workspace.db");
    initWorkspace(dbPath, { workspace: "acme", owner: "founder@acme.io", now: () => new Date(T0) });
    seedMembers(dbPath, { workspace: "acme", emails: ["a@acme.io", "b@acme.io", "c@acme.io"], now: T0 });
    db = openDatabase(dbPath);
    ids = new Map((db.prepare("SELECT email, id FROM members").all() as { email: string; id: string }[]).map((r) => [r.email.split("@")[0]!, r.id]));
  });
  afterEach(() => db.close());

  it.each(cases)("$name", ({ steps, writes, stored, shown }) => {
    let now = T0;
    const clock = () => now;
    const written: number[] = [];
    const store = sqliteActivityStore(db);
    const recording = { write: (entries: readonly ActivityEntry[]) => (written.push(entries.length), store.write(entries)) };
    let tracker = new ActivityTracker(recording, clock);
    for (const step of steps) {
      now = T0 + step.at * MIN;
      if ("record" in step) tracker.record(ids.get(step.record)!, step.via ?? "api");
      else if ("crash" in step) tracker = new ActivityTracker(recording, clock);
      else tracker.close();
    }
    expect(written).toEqual(writes);
    const rows = new Map((db.prepare("SELECT id, last_active_at, last_active_via, version FROM members").all() as { id: string; last_active_at: number | null; last_active_via: ActivityVia | null; version: number }[]).map((r) => [r.id, r]));
    const inMinutes = (at: number | null, via: ActivityVia | null): [number, ActivityVia] | null => (at === null ? null : [(at - T0) / MIN, via!]);
    for (const [who, want] of Object.entries(stored)) {
      const row = rows.get(ids.get(who)!)!;
      expect([who, inMinutes(row.last_active_at, row.last_active_via)]).toEqual([who, want]);
      expect(row.version).toBe(1); // activity is not access: no version bump
    }
    for (const [who, want] of Object.entries(shown)) {
      const row = rows.get(ids.get(who)!)!;
      const member = tracker.overlay({
        id: row.id, email: who, role: "developer", permissions: [], effectivePermissions: [], joinedAt: new Date(T0).toISOString(), invitedBy: null, version: 1,
        lastActiveAt: row.last_active_at === null ? null : new Date(row.last_active_at).toISOString(), lastActiveVia: row.last_active_via,
      });
      expect([who, inMinutes(member.lastActiveAt === null ? null : Date.parse(member.lastActiveAt), member.lastActiveVia)]).toEqual([who, want]);
    }
  });
});

describe("activity through the API", () => {
  const clock = testClock("2027-01-01T00:00:00.000Z");
  let ws: TestWorkspace;
  beforeEach(async () => {
    clock.set("2027-01-01T00:00:00.000Z");
    ws = await startWorkspace({ clock });
  });
  afterEach(async () => ws.close());

  const stored = (email: string) => {
    const db = new Database(ws.dbPath, { readonly: true });
    try {
      return db.prepare("SELECT last_active_at AS at, last_active_via AS via FROM members WHERE email = ?").get(email) as { at: number | null; via: string | null };
    } finally {
      db.close();
    }
  };
  const memberOf = async (email: string, token?: string) =>
    ((await ws.call("GET", wsPath("/members"), token === undefined ? {} : { token })).body.items as any[]).find((m) => m.email === email);

  it("shows a request at once through every read, names its client, and writes it once the window has passed, changing nothing else", async () => {
    const { member, token } = await ws.addMember("dev@acme.io", "developer");
    expect([member.lastActiveAt, member.lastActiveVia]).toEqual([null, null]);
    const revision = (await ws.call("GET", wsPath())).body.revision;
    const events = (await ws.call("GET", wsPath("/audit"))).body.items.length;

    clock.advance(60_000);
    await ws.call("GET", wsPath("/roles"), { token, headers: { "user-agent": "antryk-access/1.2.3" } });
    const seen = { lastActiveAt: "2027-01-01T00:01:00.000Z", lastActiveVia: "antryk-access" };
    expect(await memberOf("dev@acme.io")).toMatchObject({ ...seen, version: 1 });
    expect((await ws.call("GET", wsPath(`/members/${member.id}`))).body).toMatchObject(seen);
    expect(stored("dev@acme.io")).toEqual({ at: null, via: null });

    clock.advance(2 * 60_000);
    expect((await ws.call("GET", wsPath("/me"), { token, headers: { "x-antryk-client": "dashboard" } })).body).toMatchObject({ lastActiveAt: "2027-01-01T00:03:00.000Z", lastActiveVia: "dashboard" });

    clock.advance(ACTIVITY_WINDOW_MS);
    await ws.call("GET", wsPath("/permissions")); // the owner's request after the window flushes everyone's
    expect(stored("dev@acme.io")).toEqual({ at: Date.parse("2027-01-01T00:03:00.000Z"), via: "dashboard" });
    expect((await ws.call("GET", wsPath())).body.revision).toBe(revision);
    expect((await ws.call("GET", wsPath("/audit"))).body.items.length).toBe(events);
    expect((await memberOf("dev@acme.io")).version).toBe(1);
  });

  it("filters members by ?inactiveFor, counting joining for people who never used their access and merging unflushed activity", async () => {
    const a = await ws.addMember("active@acme.io", "developer");
    const f = await ws.addMember("flushed@acme.io", "developer");
    await ws.addMember("never@acme.io", "developer");
    await ws.call("GET", wsPath("/roles"), { token: f.token });
    clock.advance(ACTIVITY_WINDOW_MS);
    await ws.call("GET", wsPath("/roles"), { token: f.token }); // flushes flushed@ (at 10 min)
    clock.advance(90 * 86_400_000);
    await ws.call("GET", wsPath("/roles")); // flushes the owner's
    await ws.call("GET", wsPath("/roles"), { token: a.token }); // active@ now, in memory only
    expect(stored("active@acme.io").at).toBeNull();
    const list = async (q: string) => ((await ws.call("GET", wsPath(`/members?${q}`))).body.items as any[]).map((m) => m.email);
    // joined 90 days and 10 minutes ago; flushed@ was last active exactly 90 days ago (not older); active@ only memory knows
    expect(await list("inactiveFor=90d")).toEqual(["never@acme.io"]);
    expect(await list("inactiveFor=89d")).toEqual(["flushed@acme.io", "never@acme.io"]);
    const short = await ws.call("GET", wsPath("/members?inactiveFor=89d&limit=1"));
    expect([short.body.items, typeof short.body.nextCursor]).toEqual([[], "string"]); // the page held active@ only: short pages are legal, follow nextCursor
    const rest = await ws.call("GET", wsPath(`/members?inactiveFor=89d&limit=1&cursor=${short.body.nextCursor}`));
    expect(rest.body.items.map((m: any) => m.email)).toEqual(["flushed@acme.io"]);

    const bad = await ws.call("GET", wsPath("/members?inactiveFor=3months"));
    expect([bad.status, bad.body.error.details]).toEqual([400, { field: "inactiveFor", reason: "bad_duration" }]);
  });

  it("records nothing with tracking off", async () => {
    await ws.restart({ activity: false });
    await ws.call("GET", wsPath("/roles"));
    expect((await memberOf("founder@acme.io")).lastActiveAt).toBeNull();
  });
});
