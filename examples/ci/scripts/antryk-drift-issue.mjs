// @ts-check
// antryk-access drift report: copy to .github/scripts/antryk-drift-issue.mjs next to
// .github/workflows/access.yml (from examples/ci/access.yml). The workflow's drift jobs run
// it with actions/github-script; it reads the files the steps before it wrote in the job's
// working folder (plan.json, plan.err, apply.json, apply.err) and keeps ONE issue up to date.
// Plain JavaScript (no build, no dependency): github-script imports it as it is.

/** MARKER starts the body of the drift issue; only an issue by BOT that starts with it is ours. */
export const MARKER = "<!-- antryk-access drift -->";
/** BOT is the author of issues made with GITHUB_TOKEN; anyone can paste the marker into an issue of their own. */
export const BOT = "github-actions[bot]";
/** MAX_BODY keeps the issue body under GitHub's 65,536-character limit. */
export const MAX_BODY = 60_000;

/**
 * @typedef {{ actor?: string, at?: string, client?: string, clientVersion?: string, manager?: string, otherManager?: boolean } | null} LiveSince
 * @typedef {{ key: string, kind: string, email?: string, name?: string, before?: any, after?: any, liveSince?: LiveSince }} Change
 * @typedef {{ key: string, kind: string, email?: string, name?: string, liveSince?: LiveSince, error?: { message?: string }, reason?: string }} Entry
 * @typedef {{ rail: string, message: string, override?: string }} Violation
 * @typedef {{ workspace?: string, changes?: Change[], violations?: Violation[] }} PlanJson
 * @typedef {{ applied?: Entry[], failed?: Entry[], skipped?: Entry[], notAttempted?: Entry[], verification?: { status: string, reason?: string, differences?: unknown } }} ApplyJson
 *
 * Outcome is what one drift run found, a closed union on `status`:
 * @typedef {{ status: "clean" }
 *   | { status: "drift", changes: Change[] }
 *   | { status: "corrected", applied: Entry[], plan: Change[] }
 *   | { status: "blocked", violations: Violation[], lines: string[] }
 *   | { status: "failed", report: ApplyJson, plan: Change[], lines: string[] }
 *   | { status: "error", exit: string, lines: string[] }} Outcome
 *
 * @typedef {{ stage: "detect" | "correct", exit: string, plan: PlanJson | null, planErr: string, apply: ApplyJson | null, applyErr: string }} RunFiles
 * @typedef {{ workspace: string, url: string, mode: string }} RunInfo
 */

/**
 * judge turns a run's exit code and files into its Outcome. `detect`: the drift job's
 * `plan --detailed-exitcode` (0 clean, 2 drift, 1 with violations blocked); `correct`: the
 * correction job's `apply --detailed-exitcode` (0 clean, 2 corrected and verified, 1 blocked
 * or failed). Anything else (a missing token, an unreachable server, a killed tool) is `error`.
 * @param {RunFiles} run
 * @returns {Outcome}
 */
export function judge(run) {
  const planChanges = run.plan?.changes ?? [];
  const violations = run.plan?.violations ?? [];
  const errLines = lines(run.stage === "detect" ? run.planErr : run.applyErr);
  if (run.exit === "0") return { status: "clean" };
  if (run.exit === "2") {
    return run.stage === "detect"
      ? { status: "drift", changes: planChanges }
      : { status: "corrected", applied: run.apply?.applied ?? [], plan: planChanges };
  }
  if (run.exit === "1") {
    // Blocked: the plan names the rails that fired (a blocked plan is printed, then refused), or apply says so.
    if (violations.length > 0 && run.apply === null) return { status: "blocked", violations, lines: errLines };
    if (run.apply === null && errLines.some((l) => /\bblocked\b/.test(l))) return { status: "blocked", violations: [], lines: errLines };
    if (run.stage === "correct" && run.apply !== null) return { status: "failed", report: run.apply, plan: planChanges, lines: errLines };
  }
  return { status: "error", exit: run.exit === "" ? "unknown" : run.exit, lines: errLines };
}

/**
 * renderReport is the issue body (Markdown, starting with MARKER, at most MAX_BODY
 * characters) for an Outcome other than `clean`. Every value from the workspace is a code
 * span, so no e-mail or role name can inject Markdown or mention anyone.
 * @param {Exclude<Outcome, { status: "clean" }>} outcome
 * @param {RunInfo} run
 * @returns {string}
 */
export function renderReport(outcome, run) {
  const out = [MARKER, `## ${title(outcome, run.workspace)}`, ""];
  switch (outcome.status) {
    case "drift":
      out.push(
        run.mode === "correct"
          ? `The workspace ${code(run.workspace)} differs from access.yaml. A correction that puts it back is waiting for approval (the \`correct\` job, environment \`antryk-production\`); nothing was changed yet. To keep a hand change instead, merge it into access.yaml and reject the correction.`
          : `The workspace ${code(run.workspace)} differs from access.yaml. Nothing was changed (mode ${code(run.mode)}): merge a change to access.yaml that keeps what should stay, or run the workflow with mode \`correct\` to put the workspace back.`,
        "",
        ...outcome.changes.map((c) => `- ${describe(c)}${attribution(c.liveSince)}`),
      );
      break;
    case "corrected": {
      const byKey = new Map(outcome.plan.map((c) => [c.key, c]));
      out.push(
        `The workspace ${code(run.workspace)} differed from access.yaml. These changes put it back, and it was verified to match the file:`,
        "",
        ...outcome.applied.map((e) => {
          const change = byKey.get(e.key);
          return `- ${change ? describe(change) : describeEntry(e)}${attribution(e.liveSince !== undefined ? e.liveSince : change?.liveSince)}`;
        }),
      );
      break;
    }
    case "blocked":
      out.push(
        "Putting the workspace back would break a safety rail, so **nothing was changed** and the job failed. A blocked correction is never forced: decide whether the hand change should stay (then write it into access.yaml, or `preserve` the person) or undo it on purpose (then change `safety` in a reviewed pull request).",
        "",
        ...(outcome.violations.length > 0
          ? outcome.violations.map((v) => `- ${code(v.rail)}: ${code(v.message)}${v.override ? ` (override: ${code(v.override)})` : ""}`)
          : [fence(outcome.lines)]),
      );
      break;
    case "failed": {
      const byKey = new Map(outcome.plan.map((c) => [c.key, c]));
      const r = outcome.report;
      const entry = (/** @type {Entry} */ e) => `- ${byKey.has(e.key) ? describe(/** @type {Change} */ (byKey.get(e.key))) : describeEntry(e)}`;
      out.push("The correction did not finish: the workspace may still differ from access.yaml. Read the run's log, then re-run the workflow.", "");
      if ((r.applied ?? []).length > 0) out.push("Applied:", "", ...(r.applied ?? []).map(entry), "");
      if ((r.failed ?? []).length > 0) out.push("Failed:", "", ...(r.failed ?? []).map((e) => `${entry(e)}: ${code(e.error?.message ?? "failed")}`), "");
      const notDone = [...(r.skipped ?? []), ...(r.notAttempted ?? [])];
      if (notDone.length > 0) out.push("Not made:", "", ...notDone.map((e) => `${entry(e)}${e.reason ? `: ${code(e.reason)}` : ""}`), "");
      if (r.verification && r.verification.status !== "verified") out.push(`Verification: ${code(r.verification.status)}${r.verification.reason ? ` (${code(r.verification.reason)})` : ""}`, "");
      if (outcome.lines.length > 0) out.push(fence(outcome.lines));
      break;
    }
    case "error":
      out.push(`The drift run could not judge the workspace (exit ${code(outcome.exit)}); the workspace may differ from access.yaml. Fix the cause and re-run the workflow.`, "");
      if (outcome.lines.length > 0) out.push(fence(outcome.lines));
      break;
    default:
      assertNever(outcome);
  }
  const tail = ["", `[The run](${run.url})`];
  let body = out.join("\n");
  if (body.length + tail.join("\n").length > MAX_BODY) body = `${body.slice(0, MAX_BODY - 200)}\n\n… (cut: the full report is in the run's log)`;
  return `${body}\n${tail.join("\n")}`;
}

/**
 * upsertIssue keeps the one drift issue: an open issue by BOT whose body starts with MARKER
 * gets each run's report as a comment headed by its date (the log of every night, never
 * overwritten), and its title and body become the latest report, except after a transient
 * failure (`transient`: the tool could not run to its end), which leaves them as the last
 * real report said; a clean run comments and closes it; one is created for a dirty run
 * when none is open; a clean run with none open does nothing. Returns what it did.
 * @param {any} github an Octokit as github-script passes it (only `paginate` and `rest.issues` are used)
 * @param {{ owner: string, repo: string }} repo
 * @param {{ title: string, body: string, date?: string, transient?: boolean } | { closeWith: string }} update
 * @returns {Promise<string>}
 */
export async function upsertIssue(github, repo, update) {
  // Every open issue, filtered here: the author check must not depend on how the API spells a bot's login in a query.
  const issues = await github.paginate(github.rest.issues.listForRepo, { ...repo, state: "open", per_page: 100 });
  const mine = issues.find(
    (/** @type {any} */ i) => i.pull_request === undefined && i.user?.login === BOT && i.user?.type === "Bot" && typeof i.body === "string" && i.body.startsWith(MARKER),
  );
  if ("closeWith" in update) {
    if (!mine) return "nothing to close";
    await github.rest.issues.createComment({ ...repo, issue_number: mine.number, body: update.closeWith });
    await github.rest.issues.update({ ...repo, issue_number: mine.number, state: "closed", state_reason: "completed" });
    return `closed #${mine.number}`;
  }
  if (mine) {
    const report = update.body.startsWith(MARKER) ? update.body.slice(MARKER.length).replace(/^\n/, "") : update.body;
    const heading = `### ${update.date ?? new Date().toISOString().slice(0, 10)}: ${update.title}${update.transient ? " (the issue above is unchanged)" : ""}`;
    await github.rest.issues.createComment({ ...repo, issue_number: mine.number, body: `${heading}\n\n${report}` });
    if (update.transient) return `logged on #${mine.number}`;
    await github.rest.issues.update({ ...repo, issue_number: mine.number, title: update.title, body: update.body });
    return `updated #${mine.number}`;
  }
  const created = await github.rest.issues.create({ ...repo, title: update.title, body: update.body });
  return `opened #${created.data.number}`;
}

/**
 * reportDrift is the step: read the run's files, judge, keep the issue, and write the
 * report to the job summary. `env` holds DRIFT_STAGE (`detect` | `correct`), DRIFT_EXIT
 * (the tool's exit code) and DRIFT_MODE; files are read from `cwd`.
 * @param {{ github: any, context: any, core?: any, env?: Record<string, string | undefined>, cwd?: string }} args
 * @returns {Promise<string>}
 */
export async function reportDrift({ github, context, core, env = process.env, cwd = process.cwd() }) {
  const { readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const read = async (/** @type {string} */ name) => readFile(join(cwd, name), "utf8").catch(() => "");
  const json = async (/** @type {string} */ name) => {
    const text = await read(name);
    try {
      return text.trim() === "" ? null : JSON.parse(text);
    } catch {
      return null; // not JSON: the tool failed before writing its report; its stderr says why
    }
  };
  const stage = env.DRIFT_STAGE === "correct" ? "correct" : "detect";
  const plan = /** @type {PlanJson | null} */ (await json("plan.json"));
  const outcome = judge({ stage, exit: env.DRIFT_EXIT ?? "", plan, planErr: await read("plan.err"), apply: await json("apply.json"), applyErr: await read("apply.err") });
  const { owner, repo } = context.repo;
  const run = {
    workspace: plan?.workspace ?? "the workspace",
    url: `${context.serverUrl ?? "https://github.com"}/${owner}/${repo}/actions/runs/${context.runId}`,
    mode: env.DRIFT_MODE || "correct",
  };
  let done;
  if (outcome.status === "clean") {
    done = await upsertIssue(github, { owner, repo }, { closeWith: `No drift: ${code(run.workspace)} matches access.yaml again. [The run](${run.url})` });
  } else {
    const body = renderReport(outcome, run);
    const date = (env.DRIFT_DATE || new Date().toISOString()).slice(0, 10);
    done = await upsertIssue(github, { owner, repo }, { title: title(outcome, run.workspace), body, date, transient: outcome.status === "error" });
    if (core?.summary) await core.summary.addRaw(body).write();
  }
  core?.info?.(`antryk-access drift issue: ${done}`);
  return done;
}

/** @param {Exclude<Outcome, { status: "clean" }>} outcome @param {string} workspace */
function title(outcome, workspace) {
  const ws = workspace.replace(/[\r\n]/g, " ");
  switch (outcome.status) {
    case "drift":
      return `Access drift in ${ws}: not corrected (detect mode)`;
    case "corrected":
      return `Access drift in ${ws}: corrected`;
    case "blocked":
      return `Access drift in ${ws}: correction blocked by a safety rail`;
    case "failed":
      return `Access drift in ${ws}: correction failed`;
    case "error":
      return `Access drift check for ${ws} failed`;
    default:
      return assertNever(outcome);
  }
}

/** describe is one change as a reviewer reads it (whom, what it was, what it becomes). @param {Change} c */
function describe(c) {
  const who = code(c.email ?? c.name ?? c.key);
  const access = (/** @type {any} */ a) =>
    a && typeof a === "object" && "role" in a ? `${code(a.role)}${a.permissions?.length ? ` + ${a.permissions.map(code).join(", ")}` : ""}` : a?.permissions ? a.permissions.map(code).join(", ") || "no permissions" : "";
  switch (c.kind) {
    case "inviteMember":
      return `${who}: invited again as ${access(c.after)}`;
    case "updateInvitation":
    case "updateMember":
    case "updateRole":
      return `${who}: ${access(c.before)} → ${access(c.after)}`;
    case "resendInvitation":
      return `${who}: invitation resent (${access(c.after)})`;
    case "revokeInvitation":
      return `${who}: invitation revoked (was ${access(c.before)})`;
    case "removeMember":
      return `${who}: removed (was ${access(c.before)})`;
    case "createRole":
      return `role ${who}: created again (${access(c.after)})`;
    case "deleteRole":
      return `role ${who}: deleted (was ${access(c.before)})`;
    default:
      return describeEntry(c); // a kind newer than this script: still listed, by key
  }
}

/** describeEntry is an apply entry with no plan change to explain it. @param {Entry} e */
function describeEntry(e) {
  return `${code(e.email ?? e.name ?? e.key)}: ${code(e.kind)}`;
}

/**
 * attribution is who set the live value a change undid, from its `liveSince` (docs/plan-format.md):
 * absent when the history was not read, null when it holds no such event.
 * @param {LiveSince | undefined} since
 */
function attribution(since) {
  if (since === undefined) return "";
  if (since === null) return " (no access-history event explains the live value)";
  const client = since.client === "antryk-access" ? `antryk-access${since.clientVersion ? ` ${since.clientVersion}` : ""}` : since.client;
  const through = { dashboard: "the dashboard", api: "the API", server: "the server", unknown: "an unknown client" }[client ?? "unknown"] ?? client ?? "an unknown client";
  // made for another manager (a Pulumi stack, another file): two tools fighting over the person, not a hand edit
  const fight = since.otherManager === true && since.manager ? ` for another manager, ${code(since.manager)}: a fight between tools, not a hand edit` : "";
  return ` — changed by ${code(since.actor ?? "unknown")} through ${through === client ? code(through) : through}${fight}${since.at ? `, ${code(since.at)}` : ""}`;
}

/** code is `s` as a Markdown code span whatever it holds (backticks, pipes, @mentions, line breaks). @param {string} s */
function code(s) {
  const flat = String(s).replace(/[\r\n\u2028\u2029]+/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** fence is lines of a tool's output as a code block no line can close. @param {string[]} ls */
function fence(ls) {
  const longest = Math.max(2, ...ls.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const f = "`".repeat(longest + 1);
  return [f, ...ls.slice(-40), f].join("\n");
}

/** lines are the non-empty lines of a tool's stderr, workflow commands (`::error …::`) without their prefix. @param {string} text */
function lines(text) {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^::\w+[^:]*::/, ""))
    .filter((l) => l.trim() !== "");
}

/** @param {never} x @returns {never} */
function assertNever(x) {
  throw new Error(`unexpected outcome ${JSON.stringify(x)}`);
}
