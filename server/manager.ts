import type { IncomingHttpHeaders } from "node:http";
import { checkManagerId, MANAGER_HEADER } from "../schema/manager.js";
import { invalid } from "./http-error.js";

/**
 * ManagerClaim is what a write says about `managedBy`: `keep` (no `X-Antryk-Manager`
 * header: the marker stays as it is) or `set` (the header's value; an empty header sets null).
 */
export type ManagerClaim = { kind: "keep" } | { kind: "set"; manager: string | null };

/** managerClaim reads the `X-Antryk-Manager` header of a request; a malformed one is a 400 naming the header. */
export function managerClaim(headers: IncomingHttpHeaders): ManagerClaim {
  const header = headers[MANAGER_HEADER];
  if (header === undefined) return { kind: "keep" };
  if (typeof header !== "string") throw invalid("X-Antryk-Manager", "send the header once", "invalid");
  const value = header.trim();
  if (value === "") return { kind: "set", manager: null };
  const problem = checkManagerId(value);
  if (problem !== undefined) throw invalid("X-Antryk-Manager", `the manager id ${problem}`, "bad_manager");
  return { kind: "set", manager: value };
}

/** requestManager is the manager a request acts for, as the access history records it (null: none). */
export function requestManager(claim: ManagerClaim): string | null {
  return claim.kind === "set" ? claim.manager : null;
}

/** managedAfter is the marker an object carries after a write with `claim`, given the one it had. */
export function managedAfter(claim: ManagerClaim, current: string | null): string | null {
  return claim.kind === "set" ? claim.manager : current;
}

/** parseManagedByFilter reads a list's `?managedBy=` filter: absent (no filter), empty (unmanaged only) or a manager id. */
export function parseManagedByFilter(value: string | undefined): { managedBy: string | null } | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return { managedBy: null };
  const problem = checkManagerId(trimmed);
  if (problem !== undefined) throw invalid("managedBy", `the manager id ${problem}`, "bad_manager");
  return { managedBy: trimmed };
}
