import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDuration } from "../../server/duration.js";
import { runCli, startServe, type ServeProcess } from "./cli.js";
import { dumpDatabase } from "./harness.js";

/** `antryk-access serve`, `serve init` and `serve token` as a user runs them: the built CLI as a child process. */

let dir: string;
let serve: ServeProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-serve-"));
});
afterEach(async () => {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill("SIGKILL");
    await serve.exited;
  }
  serve = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const TOKEN_LINE = /^ak_[A-Za-z0-9_-]{43}\n$/;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** ageIdempotencyRecords moves every stored Idempotency-Key answer `ms` into the past, beside the running server. */
function ageIdempotencyRecords(dbPath: string, ms: number): void {
  const db = new Database(dbPath);
  try {
    db.pragma("busy_timeout = 5000");
    expect(db.prepare("UPDATE idempotency_keys SET created_at = created_at - ?").run(ms).changes).toBe(1);
  } finally {
    db.close();
  }
}

describe("serve init and serve token", () => {
  it("init prints only the owner's token; a second init is an error that changes nothing", async () => {
    const first = await runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "Founder@acme.io"], dir);
    expect([first.code, first.stderr]).toEqual([0, ""]);
    expect(first.stdout).toMatch(TOKEN_LINE);
    const before = dumpDatabase(join(dir, "w.db"));
    const again = await runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "other@acme.io"], dir);
    expect([again.code, again.stdout]).toEqual([1, ""]);
    expect(again.stderr).toBe('error: workspace "acme" already exists in w.db; nothing was changed\n');
    expect(dumpDatabase(join(dir, "w.db"))).toBe(before);
  });

  it("token prints a new token for an existing member only", async () => {
    await runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "founder@acme.io"], dir);
    const token = await runCli(["serve", "token", "--db", "w.db", "--workspace", "acme", "--email", "FOUNDER@acme.io"], dir);
    expect([token.code, token.stderr]).toEqual([0, ""]);
    expect(token.stdout).toMatch(TOKEN_LINE);
    const [stranger, nowhere] = await Promise.all([
      runCli(["serve", "token", "--db", "w.db", "--workspace", "acme", "--email", "who@acme.io"], dir),
      runCli(["serve", "token", "--db", "w.db", "--workspace", "nope", "--email", "founder@acme.io"], dir),
    ]);
    expect([stranger.code, stranger.stdout, stranger.stderr]).toEqual([1, "", 'error: who@acme.io is not a member of workspace "acme"\n']);
    expect(nowhere.code).toBe(1);
  });

  it("init refuses a bad workspace name or owner email", async () => {
    const [badName, badEmail] = await Promise.all([
      runCli(["serve", "init", "--db", "w.db", "--workspace", "bad name!", "--owner", "a@acme.io"], dir),
      runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "not-an-email"], dir),
    ]);
    expect([badName.code, badEmail.code]).toEqual([1, 1]);
    expect(badName.stderr).toContain("invalid workspace name");
    expect(badEmail.stderr).toContain("invalid owner email");
  });
});

describe("serve", () => {
  it("--rate-limit caps each token's requests with 429 and Retry-After; a bad value is refused", async () => {
    const init = await runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "founder@acme.io"], dir);
    const token = init.stdout.trim();
    serve = await startServe(["--db", "w.db", "--port", "0", "--rate-limit", "1"], dir);
    // A burst of 10 is allowed, then one more a second: 30 requests at once cannot all pass.
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => fetch(`${serve!.url}/v1/workspaces/acme`, { headers: { authorization: `Bearer ${token}` } })),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await limited[0]!.json()).error.code).toBe("rate_limited");
    const bad = await runCli(["serve", "--db", "w.db", "--rate-limit", "fast"], dir);
    expect([bad.code, bad.stderr]).toEqual([1, 'error: invalid --rate-limit "fast": a whole number of requests per second, 0 to turn it off\n']);
  });

  it("prints one listening line, serves the API with the configured TTL and outbox, and stops cleanly on SIGTERM", async () => {
    const init = await runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "founder@acme.io"], dir);
    const token = init.stdout.trim();
    serve = await startServe(["--db", "w.db", "--port", "0", "--invitation-ttl", "90s", "--dev-outbox"], dir);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${serve.url}/v1/workspaces/acme/invitations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "eve@acme.io", role: "developer" }),
    });
    const invitation = await res.json();
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(90_000);
    const outbox = await (await fetch(`${serve.url}/v1/workspaces/acme/dev/outbox`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(outbox.items.map((m: any) => m.email)).toEqual(["eve@acme.io"]);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(serve.stdout()).toBe(`listening on ${serve.url}\n`);
    expect(serve.stdout() + serve.stderr()).not.toContain(token);
  });

  it("stops cleanly on SIGINT, has no outbox unless asked, and keeps its database under .antryk/ by default", async () => {
    serve = await startServe(["--port", "0"], dir);
    expect(existsSync(join(dir, ".antryk", "workspace.db"))).toBe(true);
    expect((await fetch(`${serve.url}/v1/workspaces/acme/dev/outbox`)).status).toBe(404);
    serve.child.kill("SIGINT");
    expect(await serve.exited).toBe(0);
  });

  it("names a busy port and --port in one line instead of an internal error", async () => {
    serve = await startServe(["--db", "a.db", "--port", "0"], dir);
    const port = new URL(serve.url).port;
    const busy = await runCli(["serve", "--db", "b.db", "--port", port], dir);
    expect([busy.code, busy.stdout, busy.stderr]).toEqual([
      1,
      "",
      `error: port ${port} on 127.0.0.1 is already in use: stop what listens there or choose another with --port\n`,
    ]);
  });

  it("refuses --dev-outbox on a non-loopback --host before opening anything", async () => {
    const result = await runCli(["serve", "--db", "w.db", "--host", "0.0.0.0", "--port", "0", "--dev-outbox"], dir);
    expect([result.code, result.stdout]).toEqual([1, ""]);
    expect(result.stderr).toBe(
      'error: the dev outbox lists invitation tokens, so it is served on a loopback address only (127.0.0.1, ::1, localhost), not on "0.0.0.0"\n',
    );
    expect(existsSync(join(dir, "w.db"))).toBe(false);
  });

  it("keeps an Idempotency-Key's answer for --idempotency-ttl", async () => {
    const init = await runCli(["serve", "init", "--db", "w.db", "--workspace", "acme", "--owner", "founder@acme.io"], dir);
    const token = init.stdout.trim();
    serve = await startServe(["--db", "w.db", "--port", "0", "--idempotency-ttl", "1h"], dir);
    const invite = (email: string) =>
      fetch(`${serve!.url}/v1/workspaces/acme/invitations`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": "k" },
        body: JSON.stringify({ email, role: "developer" }),
      });
    expect((await invite("a@acme.io")).status).toBe(201);
    // The child's clock is the real one: age the stored answer instead of waiting for it.
    ageIdempotencyRecords(join(dir, "w.db"), HOUR - MINUTE);
    expect((await invite("b@acme.io")).status).toBe(422); // a different body under a key still kept
    ageIdempotencyRecords(join(dir, "w.db"), 2 * MINUTE);
    expect((await invite("b@acme.io")).status).toBe(201); // past the hour (the default is 24 h): a new request
  });

  it("refuses bad options with one line each", async () => {
    const cases: [string[], string][] = [
      [["--idempotency-ttl", "forever"], 'error: --idempotency-ttl: invalid duration "forever"'],
      [["--invitation-ttl", "7 days"], 'error: --invitation-ttl: invalid duration "7 days"'],
      [["--faults", "2"], 'error: invalid --faults "2"'],
      [["--faults-seed", "3"], "error: --faults-seed needs --faults"],
      [["--port", "http"], 'error: invalid --port "http"'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(["serve", "--db", "w.db", ...args], dir)));
    results.forEach((result, i) => {
      expect([result.code, result.stderr.split("\n")[0]]).toEqual([1, expect.stringContaining(cases[i]![1])]);
    });
  });
});

describe("parseDuration", () => {
  it.each([
    ["1s", 1_000],
    ["90s", 90_000],
    ["15m", 900_000],
    ["12h", 43_200_000],
    ["7d", 604_800_000],
    ["250ms", 250],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "7", "d", "1.5h", "-1s", "0s", "7 d", "1w"])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(RangeError);
  });
});
