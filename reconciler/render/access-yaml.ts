import { Document, isMap, isSeq, YAMLMap, YAMLSeq } from "yaml";
import { normalizeEmail, sortPermissions } from "../../schema/catalog.js";
import { invitationsByEmail } from "../compute/invitations.js";
import { compareText } from "../compute/order.js";
import type { LiveState } from "../live-state.js";

/** DEFAULT_SCHEMA_URL is where the modeline points: the schema shipped in the installed package. */
export const DEFAULT_SCHEMA_URL = "./node_modules/antryk-access/schema/access.schema.json";

/** AccessYamlOptions: `schemaUrl` is the `$schema` of the yaml-language-server modeline. */
export interface AccessYamlOptions {
  schemaUrl?: string;
}

/**
 * renderAccessYaml is the live workspace as the canonical access.yaml `export` writes:
 * modeline, `version`, `workspace`, `owner:` set, `mode: authoritative`, custom roles by
 * name, then members by email, active members and pending invitations alike (a comment
 * marks each pending one), permissions in catalog order. Expired and revoked invitations
 * grant nothing and are left out (named in a closing comment). Its contract: planning
 * this file against the same live state gives no changes.
 */
export function renderAccessYaml(live: LiveState, options: AccessYamlOptions = {}): string {
  const owner = normalizeEmail(live.workspace.owner);
  const members = new Map<string, { email: string; role: string; permissions: string[]; pending?: string }>();
  for (const m of live.members) {
    const email = normalizeEmail(m.email);
    if (email === owner || m.role === "owner") continue;
    members.set(email, { email, role: m.role, permissions: sortPermissions(m.permissions) });
  }
  const lapsed: string[] = [];
  for (const [email, inv] of invitationsByEmail(live.invitations)) {
    if (members.has(email) || email === owner) continue;
    if (inv.status !== "pending") {
      lapsed.push(`${email} (${inv.status})`);
      continue;
    }
    members.set(email, {
      email,
      role: inv.role,
      permissions: sortPermissions(inv.permissions),
      pending: ` pending invitation: sent ${inv.lastSentAt.slice(0, 10)}, expires ${inv.expiresAt.slice(0, 10)}`,
    });
  }
  const roles = live.roles.filter((r) => !r.builtIn).sort((a, b) => compareText(a.name, b.name));

  const doc = new Document({
    version: 1,
    workspace: live.workspace.name,
    owner,
    mode: "authoritative",
    ...(roles.length > 0
      ? { roles: Object.fromEntries(roles.map((r) => [r.name, { description: r.description, permissions: sortPermissions(r.permissions) }])) }
      : {}),
    members: [...members.values()]
      .sort((a, b) => compareText(a.email, b.email))
      .map((m) => ({ email: m.email, role: m.role, ...(m.permissions.length > 0 ? { permissions: m.permissions } : {}) })),
  });
  doc.commentBefore = ` yaml-language-server: $schema=${options.schemaUrl ?? DEFAULT_SCHEMA_URL}\n Exported from workspace ${live.workspace.name} at revision ${live.workspace.revision}.`;
  flowPermissionLists(doc.contents);
  const list = doc.get("members");
  if (isSeq(list)) {
    const sorted = [...members.values()].sort((a, b) => compareText(a.email, b.email));
    list.items.forEach((item, i) => {
      const pending = sorted[i]?.pending;
      if (pending !== undefined && isMap(item)) item.commentBefore = pending;
    });
  }
  if (lapsed.length > 0) doc.comment = ` Not exported (they grant nothing): ${lapsed.sort().join(", ")}`;
  return doc.toString({ lineWidth: 0 });
}

/** flowPermissionLists writes every `permissions:` list on one line, as people write them. */
function flowPermissionLists(node: unknown): void {
  if (isMap(node)) {
    for (const pair of (node as YAMLMap).items) {
      if (isSeq(pair.value) && (pair.key as { value?: unknown } | null)?.value === "permissions") (pair.value as YAMLSeq).flow = true;
      else flowPermissionLists(pair.value);
    }
  } else if (isSeq(node)) {
    for (const item of (node as YAMLSeq).items) flowPermissionLists(item);
  }
}
