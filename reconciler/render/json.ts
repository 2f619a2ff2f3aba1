import { CHANGE_KINDS, type Plan } from "../plan.js";

/** KEY_ORDER fixes the order of object keys in plan JSON; keys not listed follow, alphabetically. */
const KEY_ORDER = [
  // Plan
  "formatVersion", "planId", "workspace", "target", "accessFile", "mode", "liveDigest", "liveRevision", "caller", "summary", "changes", "warnings", "violations", "policies",
  // Change
  "key", "kind", "phase", "risk", "email", "name", "memberId", "invitationId", "version", "sendCount", "before", "after", "accessExpiresAt", "gained", "lost", "reason", "liveSince",
  // LiveSince
  "eventId", "action", "actor", "at", "requestId", "client", "clientVersion", "manager", "otherManager",
  // AccessFileRef
  "path", "sha256",
  // Access and RoleBody
  "role", "description", "permissions",
  // PlanWarning and SafetyViolation
  "code", "rail", "message", "override",
  // PlanPolicies and PolicyFinding
  "checked", "findings", "policy", "severity", "subject", "status",
  // PlanSummary
  ...CHANGE_KINDS, "total", "highRisk",
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value).sort((a, b) => (RANK.get(a) ?? KEY_ORDER.length) - (RANK.get(b) ?? KEY_ORDER.length) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = ordered(v);
  }
  return out;
}

/**
 * renderJson is the plan as pretty JSON (docs/plan-format.md): the current formatVersion, keys in a
 * fixed order so saved plans diff cleanly, a trailing newline. It is also the saved-plan
 * file `apply PLAN.json` reads back; a Plan holds no secret, so neither does this.
 */
export function renderJson(plan: Plan): string {
  return `${JSON.stringify(ordered(plan), null, 2)}\n`;
}
