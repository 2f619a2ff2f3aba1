import { compareText } from "../../schema/order.js";
import { flow, scalar, type CanonicalAccess } from "./access-yaml.js";

/**
 * `export --extract-library`: the custom roles every exported workspace defines identically
 * (same description, same permissions) move to one library file that each workspace file
 * imports. Pure: canonical accesses in, the library's roles and the accesses without them out.
 */

/** SharedRoles are the roles a library holds, by name. */
export type SharedRoles = Map<string, { description: string; permissions: string[] }>;

/** extractSharedRoles finds the roles defined identically in every access (none when fewer than two) and returns each access without them. */
export function extractSharedRoles(accesses: readonly CanonicalAccess[]): { shared: SharedRoles; rest: CanonicalAccess[] } {
  const shared: SharedRoles = new Map();
  if (accesses.length < 2) return { shared, rest: [...accesses] };
  const [first, ...others] = accesses;
  for (const [name, role] of first!.roles) {
    const same = others.every((a) => {
      const r = a.roles.get(name);
      return r !== undefined && r.description === role.description && r.permissions.join(",") === role.permissions.join(",");
    });
    if (same) shared.set(name, role);
  }
  const rest = accesses.map((a) => ({ ...a, roles: new Map([...a.roles].filter(([name]) => !shared.has(name))) }));
  return { shared, rest };
}

/** writeLibraryYaml writes a library (kind: library) holding `roles`, with an optional yaml-language-server modeline. */
export function writeLibraryYaml(roles: SharedRoles, options: { schemaUrl?: string | null; workspaces: readonly string[] }): string {
  const out: string[] = [];
  if (options.schemaUrl !== undefined && options.schemaUrl !== null) out.push(`# yaml-language-server: $schema=${options.schemaUrl}`);
  out.push(`# Custom roles defined identically in ${options.workspaces.join(", ").replace(/[\r\n]+/g, " ")}; each of their files imports this library.`, "");
  out.push("version: 1", "kind: library");
  const sorted = [...roles].sort(([a], [b]) => compareText(a, b));
  if (sorted.length === 0) out.push("roles: {}");
  else {
    out.push("roles:");
    for (const [name, r] of sorted) out.push(`  ${scalar(name)}:`, `    description: ${scalar(r.description)}`, `    permissions: ${flow(r.permissions)}`);
  }
  return `${out.join("\n")}\n`;
}
