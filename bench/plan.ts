import { performance } from "node:perf_hooks";
import { computePlan } from "../reconciler/compute/index.js";
import type { LiveState } from "../reconciler/live-state.js";
import { renderAccessYaml, renderJson, renderMarkdown, renderText } from "../reconciler/render/index.js";
import type { Invitation, Member, Role } from "../schema/api.js";
import { DEFAULTS, type DesiredMember, type DesiredState } from "../schema/model.js";

/**
 * The pure core's benchmark: computePlan on a converged 10,000-member workspace and on
 * one with about 1,000 changes (target: under 100 ms each), plus the renderers on the
 * latter. Everything is in memory: no server, no API calls (those are in bench/cli.ts).
 */

const SIZE = 10_000;
const SOURCE = { file: "bench.yaml", line: 1, column: 1, path: [] };
const ROLES: Role[] = [
  { name: "release-manager", description: "Ships services", permissions: ["deployments:create", "deployments:read", "logs:read"], builtIn: false, version: 1 },
  { name: "qa", description: "Quality assurance", permissions: ["deployments:read", "logs:read"], builtIn: false, version: 1 },
];

function roleOf(i: number): string {
  return i % 50 === 0 ? "account-admin" : i % 7 === 0 ? "release-manager" : i % 11 === 0 ? "qa" : "developer";
}

function grantsOf(i: number): string[] {
  return i % 5 === 0 ? ["environments:configure"] : i % 13 === 0 ? ["domains:manage", "environments:configure"] : [];
}

/** workspace builds a live state of `size` people: 90% active members, 10% pending invitations. */
export function workspace(size: number): LiveState {
  const members: Member[] = [
    { id: "m-owner", email: "owner@bench.io", role: "owner", permissions: [], effectivePermissions: [], joinedAt: "2026-01-01T00:00:00Z", invitedBy: null, version: 1, lastActiveAt: null, lastActiveVia: null },
  ];
  const invitations: Invitation[] = [];
  for (let i = 0; i < size; i += 1) {
    const email = `person-${i}@bench.io`;
    if (i % 10 === 9) {
      invitations.push({ id: `i${i}`, email, role: roleOf(i), permissions: grantsOf(i), status: "pending", createdAt: "2026-01-01T00:00:00Z", expiresAt: "2026-01-08T00:00:00Z", sendCount: 1, lastSentAt: "2026-01-01T00:00:00Z", invitedBy: "owner@bench.io", sponsor: "owner@bench.io", version: 1 });
    } else {
      members.push({ id: `m${i}`, email: i % 3 === 0 ? email.toUpperCase() : email, role: roleOf(i), permissions: grantsOf(i), effectivePermissions: [], joinedAt: "2026-01-01T00:00:00Z", invitedBy: "owner@bench.io", version: 1, lastActiveAt: null, lastActiveVia: null });
    }
  }
  return {
    workspace: { name: "bench", owner: "owner@bench.io", revision: 1, createdAt: "2026-01-01T00:00:00Z" },
    caller: members[0] as Member,
    members,
    invitations,
    roles: ROLES,
    digest: "bench",
  };
}

/** file builds the desired state; `drift` people (of every kind of change) differ from the live workspace. */
export function file(size: number, drift: number): DesiredState {
  const members: DesiredMember[] = [];
  const every = drift === 0 ? Infinity : Math.floor(size / drift);
  for (let i = 0; i < size; i += 1) {
    const changed = drift > 0 && i % every === 1;
    const kind = Math.floor(i / every) % 4; // which kind of drift this person gets
    if (changed && kind === 1) continue; // removed or revoked
    const role = changed && kind === 2 ? (roleOf(i) === "developer" ? "qa" : "developer") : roleOf(i);
    const grants = changed && kind === 3 ? [...grantsOf(i), "domains:manage"] : grantsOf(i);
    members.push({ email: `person-${i}@bench.io`, role, permissions: grants, source: SOURCE });
    if (changed && kind === 0) members.push({ email: `new-${i}@bench.io`, role: "developer", permissions: [], source: SOURCE });
  }
  return {
    file: "bench.yaml",
    version: 1,
    workspace: "bench",
    mode: "authoritative",
    safety: { maxRemovals: { kind: "percent", value: 100 }, minAdmins: 1, requiredAdmins: [], preserve: [] },
    invitations: { resendExpired: DEFAULTS.resendExpired, maxResends: DEFAULTS.maxResends },
    roles: ROLES.map((r) => ({ name: r.name, description: r.description, permissions: r.permissions, source: SOURCE })),
    members,
    expiredMembers: [],
  };
}

/** time runs `fn` a few times after a warm-up and reports the median and the worst, in ms. */
export function time<T>(fn: () => T, runs = 15): { medianMs: number; minMs: number; maxMs: number; result: T } {
  let result = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    result = fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { medianMs: round(samples[Math.floor(samples.length / 2)] as number), minMs: round(samples[0] as number), maxMs: round(samples[samples.length - 1] as number), result };
}

export async function run(): Promise<Record<string, unknown>> {
  const live = workspace(SIZE);
  const converged = file(SIZE, 0);
  const drifted = file(SIZE, 1_000);
  const options = { target: "bench" };

  const a = time(() => computePlan(converged, live, options));
  const b = time(() => computePlan(drifted, live, options));
  const plan = b.result;
  return {
    people: SIZE,
    targetMs: 100,
    converged: { changes: a.result.changes.length, violations: a.result.violations.length, computePlanMs: a.medianMs, computePlanMinMs: a.minMs, computePlanMaxMs: a.maxMs },
    drifted: {
      changes: plan.changes.length,
      summary: plan.summary,
      computePlanMs: b.medianMs,
      computePlanMinMs: b.minMs,
      computePlanMaxMs: b.maxMs,
      renderTextMs: time(() => renderText(plan, { color: false })).medianMs,
      renderJsonMs: time(() => renderJson(plan)).medianMs,
      renderMarkdownMs: time(() => renderMarkdown(plan)).medianMs,
    },
    renderAccessYamlMs: time(() => renderAccessYaml(live), 3).medianMs,
    apiCalls: 0,
  };
}
