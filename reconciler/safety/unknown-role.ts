import { ASSIGNABLE_BUILT_IN_ROLES } from "../../schema/catalog.js";
import type { SafetyViolation } from "../plan.js";
import type { SafetyRail } from "./rail.js";

/**
 * unknownRole: every role access.yaml assigns exists once the plan is applied: a built-in,
 * a custom role the file defines, or (additive mode, where the file may use roles it does
 * not manage) a custom role the live workspace has. The loader runs offline and leaves the
 * last case to this rail; in authoritative mode the loader already refuses an unknown role.
 */
export const unknownRole: SafetyRail = (_plan, live, desired) => {
  const known = new Set<string>([...ASSIGNABLE_BUILT_IN_ROLES, ...desired.roles.map((r) => r.name), ...live.roles.filter((r) => !r.builtIn).map((r) => r.name)]);
  const missing = new Map<string, string[]>();
  for (const m of desired.members) {
    if (known.has(m.role)) continue;
    const where = `${m.source.file}:${m.source.line}:${m.source.column}`;
    missing.set(m.role, [...(missing.get(m.role) ?? []), `${m.email} (${where})`]);
  }
  return [...missing].map(
    ([role, who]): SafetyViolation => ({
      rail: "unknownRole",
      message: `access.yaml gives ${who.slice(0, 3).join(", ")}${who.length > 3 ? ` and ${who.length - 3} more` : ""} the role "${role}", which neither access.yaml nor workspace ${live.workspace.name} defines`,
      override: `define "${role}" under roles: in access.yaml, or use an existing role`,
    }),
  );
};
