import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../errors.js";
import { summaryLine, problemLines, incompleteError, MAX_PROBLEM_LINES } from "../../cli/applying.js";
import { interruptible } from "../../cli/interrupt.js";
import { EventEmitter } from "node:events";
import { ApiError } from "../../errors.js";
import type { ApplyClient } from "../../reconciler/apply/index.js";
import { useColor } from "../../cli/confirm.js";
import { progressLine } from "../../cli/progress.js";
import { parseSavedPlan } from "../../cli/saved-plan.js";
import { resolveTarget, retriesFromEnv } from "../../cli/target.js";
import { embeddedAnnouncement } from "../../cli/embedded.js";
import { PLAN_FORMAT_VERSION, summarize, type Change, type Plan } from "../../reconciler/plan.js";

/**
 * The pure pieces of the CLI's front door, table by table: target resolution, the
 * saved-plan check, the apply summary, the progress line, colour. The commands
 * themselves are exercised end to end in test/e2e/.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "antryk-cli-unit-"));
  await writeFile(join(dir, "token"), "ak_from_file\n");
  await writeFile(join(dir, "empty"), "  \n");
  await writeFile(join(dir, "two"), "ak_one ak_two\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("resolveTarget", () => {
  const url = "https://api.example.com";
  it.each([
    ["nothing set: the embedded workspace", {}, {}, { kind: "embedded" }],
    ["env URL and token", {}, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: url, token: "ak_env" }],
    ["--api-url wins over the env URL", { apiUrl: "https://other.example" }, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: "https://other.example", token: "ak_env" }],
    ["--token-file wins over ANTRYK_TOKEN", { tokenFile: "token" }, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: url, token: "ak_from_file" }],
    ["blank variables count as unset", {}, { ANTRYK_API_URL: " ", ANTRYK_TOKEN: "" }, { kind: "embedded" }],
  ])("%s", async (_name, options, env, expected) => {
    const opts = "tokenFile" in options ? { ...options, tokenFile: join(dir, String(options.tokenFile)) } : options;
    expect(await resolveTarget(opts, env)).toEqual(expected);
  });

  it.each([
    ["a URL without a token", {}, { ANTRYK_API_URL: url }, /^no API token for https:\/\/api\.example\.com: set ANTRYK_TOKEN or pass --token-file$/],
    ["a token without a URL", {}, { ANTRYK_TOKEN: "ak_secret" }, /^a token is set .* but no API URL/],
    ["a missing token file", { tokenFile: "missing" }, { ANTRYK_API_URL: url }, /^cannot read the token file .*missing \(ENOENT\)$/],
    ["an empty token file", { tokenFile: "empty" }, { ANTRYK_API_URL: url }, /^the token file .*empty is empty$/],
    ["two tokens in the file", { tokenFile: "two" }, { ANTRYK_API_URL: url }, /must hold one token on one line$/],
  ])("refuses %s, never echoing a token", async (_name, options, env, message) => {
    const opts = "tokenFile" in options ? { tokenFile: join(dir, String(options.tokenFile)) } : options;
    const err = await resolveTarget(opts, env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/ak_/);
  });
});

describe("retriesFromEnv", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["0", 0],
    ["3", 3],
  ])("ANTRYK_RETRIES=%j → %j", (value, expected) => {
    expect(retriesFromEnv(value === undefined ? {} : { ANTRYK_RETRIES: value })).toBe(expected);
  });
  it.each(["-1", "2.5", "many", "21"])("refuses ANTRYK_RETRIES=%j", (value) => {
    expect(() => retriesFromEnv({ ANTRYK_RETRIES: value })).toThrow(ConfigError);
  });
});

const invite: Change = {
  kind: "inviteMember",
  key: "inviteMember:bob@acme.io",
  phase: "grants",
  risk: "normal",
  gained: ["deployments:read"],
  lost: [],
  reason: "not a member yet",
  email: "bob@acme.io",
  before: null,
  after: { role: "developer", permissions: [] },
};
const plan: Plan = {
  formatVersion: PLAN_FORMAT_VERSION,
  workspace: "acme-prod",
  target: "https://api.example.com",
  mode: "authoritative",
  liveDigest: "abc123",
  liveRevision: 4,
  caller: "founder@acme.io",
  changes: [invite],
  warnings: [],
  violations: [],
  summary: summarize([invite]),
};

describe("parseSavedPlan", () => {
  it("reads back a plan as renderJson writes it", () => {
    expect(parseSavedPlan(JSON.stringify(plan), "plan.json")).toEqual(plan);
  });

  const mutate = (f: (p: Record<string, unknown>) => void): string => {
    const copy = JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;
    f(copy);
    return JSON.stringify(copy);
  };
  it.each([
    ["not JSON", "{", /plan\.json is not a saved plan: not valid JSON/],
    ["another format version", mutate((p) => (p.formatVersion = 2)), /formatVersion 2; this antryk-access reads formatVersion 1/],
    ["no digest", mutate((p) => delete p.liveDigest), /plan\.json is not a saved plan: liveDigest: /],
    ["an unknown change kind", mutate((p) => ((p.changes as Record<string, unknown>[])[0]!.kind = "dropTable")), /changes\.0\.kind/],
    ["an invite without its role", mutate((p) => ((p.changes as Record<string, unknown>[])[0]!.after = { permissions: [] })), /changes\.0\.after\.role/],
    ["an unknown phase", mutate((p) => ((p.changes as Record<string, unknown>[])[0]!.phase = "later")), /changes\.0\.phase/],
    ["a change listed twice", mutate((p) => (p.changes = [invite, invite])), /the change key "inviteMember:bob@acme\.io" appears twice/],
    ["an array", "[]", /plan\.json is not a saved plan: \(top level\)/],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parseSavedPlan(text, "plan.json")).toThrow(message);
  });
});

describe("the apply summary", () => {
  const entry = { key: "inviteMember:bob@acme.io", kind: "inviteMember" as const, phase: "grants" as const, email: "bob@acme.io" };
  it.each([
    [{ applied: [entry], failed: [], skipped: [] }, "Apply complete: 1 applied, 0 failed, 0 skipped."],
    [{ applied: [], failed: [{ ...entry, error: { status: 409, code: "conflict", message: "boom" } }], skipped: [] }, "Apply incomplete: 0 applied, 1 failed, 0 skipped."],
    [{ applied: [], failed: [], skipped: [{ ...entry, reason: "its role was not created" }] }, "Apply incomplete: 0 applied, 0 failed, 1 skipped."],
  ])("summaryLine %#", (result, line) => {
    expect(summaryLine(result)).toBe(line);
  });

  it("lists failures and skips, and a 412 is called a concurrent change", () => {
    const result = {
      applied: [],
      failed: [{ ...entry, error: { status: 412, code: "precondition_failed", message: "bob@acme.io changed concurrently; run plan again" } }],
      skipped: [{ ...entry, key: "deleteRole:x", kind: "deleteRole" as const, email: undefined, name: "x", reason: "a removal failed" }],
    };
    expect(problemLines(result)).toEqual([
      "  failed   inviteMember bob@acme.io: bob@acme.io changed concurrently; run plan again",
      "  skipped  deleteRole x: a removal failed",
    ]);
    expect(incompleteError(result).message).toBe(
      "apply incomplete: 1 change failed, 1 skipped; 1 of them changed concurrently; run plan again to see what remains",
    );
  });
});

describe("terminal output", () => {
  it.each([
    [{ done: 0, total: 500, failed: 0 }, 0, "Applying: 0/500 (0%), 0s"],
    [{ done: 120, total: 500, failed: 2 }, 3400, "Applying: 120/500 (24%), 2 failed, 3s"],
    [{ done: 500, total: 500, failed: 0 }, 12_600, "Applying: 500/500 (100%), 13s"],
  ])("progressLine %#", (event, ms, line) => {
    expect(progressLine(event, ms)).toBe(line);
  });

  it.each([
    [true, {}, true],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [false, {}, false],
  ])("useColor(isTTY=%s, %j) = %s", (isTTY, env, expected) => {
    expect(useColor({ isTTY } as NodeJS.WriteStream, env)).toBe(expected);
  });

  it("the embedded announcement names the workspace, the database and how to leave it", () => {
    expect(embeddedAnnouncement("acme-prod", ".antryk/workspace.db")).toBe(
      'Using the embedded local workspace "acme-prod" (.antryk/workspace.db); set ANTRYK_API_URL and ANTRYK_TOKEN to target a real workspace.',
    );
  });
});

describe("long failure lists", () => {
  it(`list ${MAX_PROBLEM_LINES} changes, then count the rest`, () => {
    const failed = Array.from({ length: 25 }, (_, i) => ({
      key: `inviteMember:u${i}@x.io`,
      kind: "inviteMember" as const,
      phase: "grants" as const,
      email: `u${i}@x.io`,
      error: { status: 0, code: "interrupted", message: "not attempted: apply was interrupted" },
    }));
    const lines = problemLines({ applied: [], failed, skipped: [] });
    expect(lines).toHaveLength(MAX_PROBLEM_LINES + 1);
    expect(lines.at(-1)).toBe("  … and 5 more (--format json lists every change)");
    expect(incompleteError({ applied: [], failed, skipped: [] }, true).message).toBe(
      "apply interrupted: 25 changes failed; run plan again to see what remains",
    );
  });
});

describe("interruptible", () => {
  const calls: string[] = [];
  const client = {
    createInvitation: async () => void calls.push("createInvitation"),
    getMember: async () => void calls.push("getMember"),
  } as unknown as ApplyClient;

  it("passes calls through until the first Ctrl-C, then refuses changes (reads still pass); a second Ctrl-C exits 130", async () => {
    const proc = Object.assign(new EventEmitter(), { exit: (code: number) => void calls.push(`exit ${code}`) });
    const notes: string[] = [];
    const guard = interruptible(client, (line) => notes.push(line), proc as unknown as NodeJS.Process);
    await guard.client.createInvitation("ws", { email: "a@x.io", role: "developer" }, { idempotencyKey: "k" });
    proc.emit("SIGINT");
    expect(guard.interrupted()).toBe(true);
    expect(notes).toHaveLength(1);
    const refused = await guard.client.createInvitation("ws", { email: "b@x.io", role: "developer" }, { idempotencyKey: "k2" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe("interrupted");
    await guard.client.getMember("ws", "m1");
    proc.emit("SIGINT");
    expect(calls).toEqual(["createInvitation", "getMember", "exit 130"]);
    guard.dispose();
    expect(proc.listenerCount("SIGINT")).toBe(0);
  });
});

