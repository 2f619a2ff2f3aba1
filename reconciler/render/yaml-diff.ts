import { createTwoFilesPatch } from "diff";
import { normalizeEmail } from "../../schema/catalog.js";
import type { LiveState } from "../live-state.js";
import { effectOf } from "../change-effect.js";
import type { Plan } from "../plan.js";
import { expiresOf } from "../../schema/access-expiry.js";
import { canonicalAccess, writeAccessYaml, type CanonicalAccess } from "./access-yaml.js";

/** YamlDiffOptions names the two sides in the diff header. */
export interface YamlDiffOptions {
  liveLabel?: string;
  desiredLabel?: string;
  context?: number;
}

/**
 * renderYamlDiff is the textual, YAML-level unified diff from the live workspace (as
 * `export` renders it) to access.yaml. It complements the plan: the plan says what
 * will happen, this shows where the files differ. Empty string when they are equal.
 */
export function renderYamlDiff(liveYaml: string, desiredYaml: string, options: YamlDiffOptions = {}): string {
  if (liveYaml === desiredYaml) return "";
  return createTwoFilesPatch(options.liveLabel ?? "live (exported)", options.desiredLabel ?? "access.yaml", liveYaml, desiredYaml, undefined, undefined, {
    context: options.context ?? 3,
  });
}

/**
 * renderPlanYamlDiff is the YAML-level diff a plan amounts to: the live workspace as
 * `export` writes it (without comments) against the same workspace once every change
 * of the plan is made. It shows exactly what the plan does, in access.yaml's own terms;
 * people the plan leaves alone (additive mode, `preserve`) do not appear in it.
 */
export function renderPlanYamlDiff(plan: Plan, live: LiveState): string {
  const before = canonicalAccess(live);
  const bare = { comments: false };
  return renderYamlDiff(writeAccessYaml(before, bare), writeAccessYaml(accessAfter(plan, before), bare), {
    liveLabel: `live (${plan.workspace}, revision ${plan.liveRevision})`,
    desiredLabel: "after this plan",
  });
}

/** accessAfter applies a plan's changes to canonical access (pure: `before` is not touched). */
function accessAfter(plan: Plan, before: CanonicalAccess): CanonicalAccess {
  const members = new Map(before.members);
  const roles = new Map(before.roles);
  for (const c of plan.changes) {
    const e = effectOf(c);
    if (e.on === "person") {
      const email = normalizeEmail(e.email);
      if (e.after === null) members.delete(email);
      else {
        // A change that sets accessExpiresAt moves `expires`; any other keeps the entry's.
        const expiry = "accessExpiresAt" in c && c.accessExpiresAt !== undefined ? expiresOf(c.accessExpiresAt.after) : members.get(email)?.expires;
        members.set(email, { email, role: e.after.role, permissions: e.after.permissions, ...(expiry === undefined ? {} : { expires: expiry }) });
      }
    } else if (e.after === null) roles.delete(e.name);
    else roles.set(e.name, { description: e.after.description, permissions: e.after.permissions });
  }
  return { ...before, members, roles };
}
