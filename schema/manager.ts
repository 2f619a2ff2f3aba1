import type { DesiredState } from "./model.js";

/**
 * Manager ids: who manages a member, an invitation or a custom role (`managedBy`). One
 * grammar for the server (the `X-Antryk-Manager` header), the loader (`manager:` in a
 * workspace file), the CLI, the Pulumi provider and the dashboard.
 */

/** MANAGER_HEADER is the request header a managing tool sends on every write (lower case, as Node reads it). */
export const MANAGER_HEADER = "x-antryk-manager";

/** MAX_MANAGER_LENGTH is the longest manager id, in characters. */
export const MAX_MANAGER_LENGTH = 200;

/** MANAGER_ID_SOURCE is the shape of a manager id: printable ASCII (a header value), no leading or trailing space. */
export const MANAGER_ID_SOURCE = "^[\\x21-\\x7e](?:[\\x20-\\x7e]*[\\x21-\\x7e])?$";

const MANAGER_ID_PATTERN = new RegExp(MANAGER_ID_SOURCE);

/** checkManagerId says what is wrong with a manager id, or undefined when it is acceptable. */
export function checkManagerId(id: string): string | undefined {
  if (id.length > MAX_MANAGER_LENGTH) return `is ${id.length} characters long; at most ${MAX_MANAGER_LENGTH} are allowed`;
  if (!MANAGER_ID_PATTERN.test(id)) return "must be printable ASCII without leading or trailing spaces";
  return undefined;
}

/** cliManager is the manager id antryk-access sends for a workspace file without `manager:`. */
export function cliManager(workspace: string): string {
  return `antryk-access:${workspace}`;
}

/** fileManager is the manager id a workspace file writes for: its `manager:`, or antryk-access:<workspace>. */
export function fileManager(desired: Pick<DesiredState, "manager" | "workspace">): string {
  return desired.manager ?? cliManager(desired.workspace);
}

/** pulumiManager is the manager id the Pulumi provider sends for one resource: `pulumi:<project>/<stack>/<urn>`. */
export function pulumiManager(project: string, stack: string, urn: string): string {
  return `pulumi:${project}/${stack}/${urn}`;
}
