import { dirname, relative } from "node:path";
import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import type { Change, PlanWarning } from "../plan.js";
import { samePermissions } from "../permissions.js";
import * as make from "./changes.js";
import type { Holding } from "../holdings.js";
import { compareText } from "../../schema/order.js";

/**
 * reconcileRoles decides the custom-role changes: a role the file defines and the
 * workspace lacks is created; one whose permissions or description differ is updated.
 * In authoritative mode a live custom role the file does not define is deleted once
 * nobody holds it after the plan's people changes (active members and pending
 * invitations); while someone still does, it is a `role-in-use` warning. Additive mode
 * reports such roles (`unmanaged-role`) and leaves them.
 */
export function reconcileRoles(
  desired: DesiredState,
  live: LiveState,
  holdings: ReadonlyMap<string, Holding>,
  tables: make.Tables,
  out: { changes: Change[]; warnings: PlanWarning[] },
): void {
  const liveRoles = new Map(live.roles.filter((r) => !r.builtIn).map((r) => [r.name, r]));
  const heldBy = (name: string) =>
    [...holdings.values()].filter((h) => h.access.role === name).sort((a, b) => (a.state === b.state ? compareText(a.email, b.email) : a.state === "active" ? -1 : 1));
  // A role from an imported library names the library as the workspace file's imports: does
  // (relative to that file, so no machine's layout reaches a plan); one from the workspace
  // file says access.yaml, as every reason does.
  const origin = (file: string) => (file === desired.file ? "access.yaml" : relative(dirname(desired.file), file));
  const defined = new Set<string>();
  for (const role of desired.roles) {
    defined.add(role.name);
    const want = make.roleBody(role.description, role.permissions);
    const have = liveRoles.get(role.name);
    if (have === undefined) {
      out.changes.push(make.createRole(role.name, want, `defined in ${origin(role.source.file)}`));
    } else if (!samePermissions(have.permissions, want.permissions) || have.description !== want.description) {
      const what = samePermissions(have.permissions, want.permissions) ? "description differs" : "permissions differ";
      out.changes.push(make.updateRole(have, want, `${what} from ${origin(role.source.file)}`, heldBy(role.name), tables));
    }
  }

  const holders = new Map<string, string[]>();
  for (const h of holdings.values()) {
    if (!liveRoles.has(h.access.role) || defined.has(h.access.role)) continue;
    const list = holders.get(h.access.role) ?? [];
    list.push(h.email);
    holders.set(h.access.role, list);
  }
  for (const [name, role] of liveRoles) {
    if (defined.has(name)) continue;
    if (desired.mode === "additive") {
      out.warnings.push({ code: "unmanaged-role", message: `custom role ${name} is not in access.yaml; additive mode leaves it alone` });
      continue;
    }
    const heldBy = holders.get(name);
    if (heldBy === undefined) {
      out.changes.push(make.deleteRole(role, "not in access.yaml and held by nobody after this plan"));
      continue;
    }
    heldBy.sort();
    const shown = heldBy.slice(0, 3).join(", ") + (heldBy.length > 3 ? ` and ${heldBy.length - 3} more` : "");
    out.warnings.push({ code: "role-in-use", message: `custom role ${name} is not in access.yaml but ${shown} still hold${heldBy.length === 1 ? "s" : ""} it; it is deleted once nobody does` });
  }
}
