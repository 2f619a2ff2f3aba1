import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../errors.js";
import { summaryLine, problemLines, outcomeError, verificationLines, MAX_PROBLEM_LINES } from "../../cli/applying.js";
import { onInterrupt } from "../../cli/interrupt.js";
import { EventEmitter } from "node:events";
import { InterruptedError } from "../../errors.js";
import type { ApplyResult } from "../../reconciler/apply/index.js";
import { useColor } from "../../cli/confirm.js";
import { progressLine } from "../../cli/progress.js";
import { parseSavedPlan } from "../../cli/saved-plan.js";
import { resolveTarget, retriesFromEnv } from "../../cli/target.js";
import { embeddedAnnouncement } from "../../cli/embedded.js";
import { resolveExportWorkspace } from "../../cli/workspace-name.js";
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
  await writeFile(join(dir, "control"), "ak_one\u001b[2Jak_two\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("resolveTarget", () => {
  const url = "https://api.example.com";
  it.each([
    ["nothing set: the embedded workspace", {}, {}, { kind: "embedded", explicit: false }],
    ["nothing set, CI=false: the embedded workspace", {}, { CI: "false" }, { kind: "embedded", explicit: false }],
    ["nothing set, CI=0: the embedded workspace", {}, { CI: "0" }, { kind: "embedded", explicit: false }],
    ["--local in CI: the embedded workspace, explicitly", { local: true }, { CI: "true" }, { kind: "embedded", explicit: true }],
    ["a target in CI", {}, { CI: "true", ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: url, token: "ak_env" }],
    ["env URL and token", {}, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: url, token: "ak_env" }],
    ["--api-url wins over the env URL", { apiUrl: "https://other.example" }, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: "https://other.example", token: "ak_env" }],
    ["--token-file wins over ANTRYK_TOKEN", { tokenFile: "token" }, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, { kind: "remote", baseUrl: url, token: "ak_from_file" }],
    ["blank variables count as unset", {}, { ANTRYK_API_URL: " ", ANTRYK_TOKEN: "" }, { kind: "embedded", explicit: false }],
  ])("%s", async (_name, options, env, expected) => {
    const opts = "tokenFile" in options ? { ...options, tokenFile: join(dir, String(options.tokenFile)) } : options;
    expect(await resolveTarget(opts, env)).toEqual(expected);
  });

  it.each([
    ["a URL without a token", {}, { ANTRYK_API_URL: url }, /^no API token for https:\/\/api\.example\.com: set ANTRYK_TOKEN or pass --token-file$/],
    ["a token without a URL", {}, { ANTRYK_TOKEN: "ak_secret" }, /^a token is set .* but no API URL/],
    ["a missing token file", { tokenFile: "missing" }, { ANTRYK_API_URL: url }, /^cannot read the token file --token-file names \(ENOENT\): give the path of a file holding the token, not the token$/],
    ["an empty token file", { tokenFile: "empty" }, { ANTRYK_API_URL: url }, /^the token file --token-file names is empty$/],
    ["two tokens in the file", { tokenFile: "two" }, { ANTRYK_API_URL: url }, /must hold one token on one line$/],
    ["a control byte in the token file", { tokenFile: "control" }, { ANTRYK_API_URL: url }, /holds a control or non-ASCII character/],
    ["a control byte in ANTRYK_TOKEN", {}, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_sec\u0007ret" }, /^ANTRYK_TOKEN holds white space, a control character/],
    ["white space inside ANTRYK_TOKEN", {}, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_sec ret" }, /^ANTRYK_TOKEN holds white space/],
    ["no target in CI", {}, { CI: "true" }, /^no target in CI: set ANTRYK_API_URL and ANTRYK_TOKEN .*--local/],
    ["no target in CI=1", {}, { CI: "1" }, /^no target in CI/],
    ["a URL without a token in CI", {}, { CI: "true", ANTRYK_API_URL: url }, /^no API token for/],
    ["--local with a target", { local: true }, { ANTRYK_API_URL: url, ANTRYK_TOKEN: "ak_env" }, /^--local uses the embedded local workspace/],
  ])("refuses %s, never echoing a token", async (_name, options, env, message) => {
    const opts = "tokenFile" in options ? { ...options, tokenFile: join(dir, String(options.tokenFile)) } : options;
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
  planId: "3f1c9a52-6a55-4d7e-9d55-0d3c55f0a001",
  workspace: "acme-prod",
  target: "https://api.example.com",
  accessFile: { path: "access.yaml", sha256: "a".repeat(64) },
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
    ["another format version", mutate((p) => (p.formatVersion = 1)), /formatVersion 1; this antryk-access reads formatVersion 4/],
    ["no planId", mutate((p) => delete p.planId), /plan\.json is not a saved plan: planId: /],
    ["no access file", mutate((p) => (p.accessFile = null)), /plan\.json is not a saved plan: accessFile: /],
    ["an access file digest that is not a sha256", mutate((p) => (p.accessFile = { path: "a.yaml", sha256: "x" })), /accessFile\.sha256/],
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
  const none = { applied: [], failed: [], skipped: [], notAttempted: [] };
  it.each([
    [{ ...none, applied: [entry] }, "Apply complete: 1 applied, 0 failed, 0 skipped, 0 not attempted."],
    [{ ...none, failed: [{ ...entry, error: { status: 409, code: "conflict", message: "boom" } }] }, "Apply incomplete: 0 applied, 1 failed, 0 skipped, 0 not attempted."],
    [{ ...none, skipped: [{ ...entry, reason: "its role was not created" }] }, "Apply incomplete: 0 applied, 0 failed, 1 skipped, 0 not attempted."],
    [{ ...none, notAttempted: [{ ...entry, reason: "interrupted" as const }] }, "Apply incomplete: 0 applied, 0 failed, 0 skipped, 1 not attempted."],
    // Another apply made them first: the workspace already held them, this apply changed nothing.
    [
      { ...none, applied: [entry, { ...entry, note: "already invited with this access" }, { ...entry, note: "already revoked" }] },
      "Apply complete: 1 applied, 2 already so (no change made), 0 failed, 0 skipped, 0 not attempted.",
    ],
  ])("summaryLine %#", (result, line) => {
    expect(summaryLine(result as ApplyResult)).toBe(line);
  });

  it("lists failures, skips and changes not attempted; a 412 is called a concurrent change", () => {
    const result: ApplyResult = {
      applied: [],
      failed: [{ ...entry, error: { status: 412, code: "precondition_failed", message: "bob@acme.io changed concurrently; run plan again" } }],
      skipped: [{ ...entry, key: "deleteRole:x", kind: "deleteRole" as const, email: undefined, name: "x", reason: "a removal failed" }],
      notAttempted: [{ ...entry, key: "inviteMember:amy@acme.io", email: "amy@acme.io", reason: "unreachable" }],
    };
    expect(problemLines(result)).toEqual([
      "  failed         inviteMember bob@acme.io: bob@acme.io changed concurrently; run plan again",
      "  skipped        deleteRole x: a removal failed",
      "  not attempted  inviteMember amy@acme.io: the server stopped answering",
    ]);
    expect(outcomeError(result, { status: "verified" }, false)?.message).toBe(
      "apply incomplete: 1 change failed, 1 skipped, 1 not attempted; 1 of them changed concurrently; gave up on a server that stopped answering; run plan again to see what remains",
    );
  });

  const applied: ApplyResult = { ...none, applied: [entry] };
  it.each([
    ["verified", { status: "verified" as const }, false, null, ["Verified: the workspace matches access.yaml."]],
    [
      "differences remain",
      { status: "differs" as const, remaining: [invite], deviations: [] },
      false,
      /^apply did not converge: the workspace still differs from access.yaml in 1 place/,
      ["Not verified: the workspace still differs from access.yaml in 1 place:", "  invite bob@acme.io as developer  (not a member yet)"],
    ],
    [
      "a promise broke",
      {
        status: "differs" as const,
        remaining: [],
        deviations: [
          {
            subject: "gina@acme.io",
            kind: "person" as const,
            promised: "an open invitation as developer, sponsored by founder@acme.io",
            found: "nothing (no member, no open invitation)",
            event: { eventId: "e1", action: "invitation.revoked" as const, actor: "carol@acme.io", at: "2027-01-01T10:00:00.000Z", requestId: "r1", client: "dashboard" as const },
          },
        ],
      },
      false,
      /^apply did not converge: 1 promise of the plan did not hold \(gina@acme\.io\); run plan again to review$/,
      [
        "Not verified: 1 promise of the plan did not hold:",
        expect.stringMatching(/^  gina@acme\.io: promised an open invitation as developer, sponsored by founder@acme\.io; found nothing \(no member, no open invitation\) \(last changed by invitation revoked by carol@acme\.io .*dashboard.*\)$/),
      ],
    ],
    [
      "the caller removed itself while sponsoring invitations it could not check",
      { status: "skipped" as const, cause: "selfRemoved" as const, reason: "this apply removed x@acme.io; could not check the invitation of y@acme.io", unchecked: ["the invitation of y@acme.io"] },
      false,
      /^apply could not be verified: this apply removed x@acme\.io; could not check the invitation of y@acme\.io$/,
      ["Not verified: this apply removed x@acme.io; could not check the invitation of y@acme.io."],
    ],
    [
      "the caller removed itself",
      { status: "skipped" as const, cause: "selfRemoved" as const, reason: "this apply removed x@acme.io, whose token ran it: that token no longer works" },
      false,
      null,
      ["Not verified: this apply removed x@acme.io, whose token ran it: that token no longer works."],
    ],
    [
      "the workspace could not be read back",
      { status: "skipped" as const, cause: "unreadable" as const, reason: "the workspace could not be read back (boom)" },
      false,
      /^apply could not be verified: the workspace could not be read back \(boom\)$/,
      ["Not verified: the workspace could not be read back (boom)."],
    ],
  ])("verification: %s", (_name, verification, interrupted, error, lines) => {
    expect(verificationLines(verification)).toEqual(lines);
    const err = outcomeError(applied, verification, interrupted);
    if (error === null) expect(err).toBeNull();
    else expect(err?.message).toMatch(error);
  });

  it("an interrupted apply ends in InterruptedError (exit 130)", () => {
    const err = outcomeError({ ...none, applied: [entry], notAttempted: [{ ...entry, key: "k2", reason: "interrupted" }] }, { status: "skipped", cause: "interrupted", reason: "apply was interrupted" }, true);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err?.message).toBe("apply interrupted: 1 not attempted; run plan again to see what remains");
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
    const notAttempted = Array.from({ length: 25 }, (_, i) => ({
      key: `inviteMember:u${i}@x.io`,
      kind: "inviteMember" as const,
      phase: "grants" as const,
      email: `u${i}@x.io`,
      reason: "interrupted" as const,
    }));
    const lines = problemLines({ applied: [], failed: [], skipped: [], notAttempted });
    expect(lines).toHaveLength(MAX_PROBLEM_LINES + 1);
    expect(lines.at(-1)).toBe("  … and 5 more (--format json lists every change)");
  });
});

describe("onInterrupt", () => {
  it("the first Ctrl-C aborts the signal applyPlan watches and says so; a second exits 130; dispose removes the handler", () => {
    const exits: number[] = [];
    const proc = Object.assign(new EventEmitter(), { exit: (code: number) => void exits.push(code) });
    const notes: string[] = [];
    const interrupt = onInterrupt((line) => notes.push(line), proc as unknown as NodeJS.Process);
    expect(interrupt.signal.aborted).toBe(false);
    proc.emit("SIGINT");
    expect(interrupt.signal.aborted).toBe(true);
    expect(interrupt.interrupted()).toBe(true);
    expect(notes).toHaveLength(1);
    expect(exits).toEqual([]);
    proc.emit("SIGINT");
    expect(exits).toEqual([130]);
    interrupt.dispose();
    expect(proc.listenerCount("SIGINT")).toBe(0);
  });
});

describe("apply's report never emits a raw control character", () => {
  it("escapes an email holding ESC in failures and remaining differences", () => {
    const evil = "y\u001b[1;1fowner-was-here@acme.io";
    const entry = { key: `inviteMember:${evil}`, kind: "inviteMember" as const, phase: "grants" as const, email: evil };
    const lines = [
      ...problemLines({ applied: [], failed: [{ ...entry, error: { status: 400, code: "validation_failed", message: `bad ${evil}` } }], skipped: [], notAttempted: [] }),
      ...verificationLines({ status: "differs", remaining: [{ ...invite, key: `inviteMember:${evil}`, email: evil }], deviations: [] }),
    ];
    expect(lines.join("\n")).not.toContain("\u001b");
    expect(lines.join("\n")).toContain("\\u001b");
  });
});

describe("resolveExportWorkspace", () => {
  const remote = { kind: "remote" as const, baseUrl: "https://api.example.com", token: "ak_x" };
  it.each([
    ["export", /^name the workspace to export: --workspace NAME \(or set ANTRYK_WORKSPACE\)$/],
    ["review", /^name the workspace to review: --workspace NAME \(or set ANTRYK_WORKSPACE\), or give the access file with -f$/],
  ] as const)("%s against a remote target without a name asks for one in its own words", async (command, message) => {
    await expect(resolveExportWorkspace(undefined, remote, {}, dir, command)).rejects.toThrow(message);
  });
  it("takes --workspace, then ANTRYK_WORKSPACE", async () => {
    expect(await resolveExportWorkspace("a", remote, { ANTRYK_WORKSPACE: "b" }, dir, "review")).toBe("a");
    expect(await resolveExportWorkspace(undefined, remote, { ANTRYK_WORKSPACE: "b" }, dir, "review")).toBe("b");
  });
});
