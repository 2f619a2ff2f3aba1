import { ApiError } from "../errors.js";
import type { ApplyClient } from "../reconciler/apply/index.js";

/**
 * Ctrl-C during apply, Terraform style: the first interrupt lets the changes in flight
 * finish and starts no new one (each is reported as failed, "not attempted"), so the
 * summary is exact and a rerun converges; a second interrupt stops at once.
 */

/** CHANGE_METHODS are the ApplyClient calls that change the workspace; reads stay allowed. */
const CHANGE_METHODS: ReadonlySet<string> = new Set([
  "createInvitation",
  "updateInvitation",
  "resendInvitation",
  "revokeInvitation",
  "updateMember",
  "removeMember",
  "putRole",
  "deleteRole",
]);

/** INTERRUPTED_CODE is the error code of a change not attempted because apply was interrupted. */
export const INTERRUPTED_CODE = "interrupted";

/** Interruptible wraps a client for one apply; `dispose` removes the signal handler. */
export interface Interruptible {
  client: ApplyClient;
  interrupted(): boolean;
  dispose(): void;
}

/**
 * interruptible returns `client` guarded by a SIGINT handler: after the first Ctrl-C every
 * change call fails with ApiError code `interrupted` before reaching the API.
 */
export function interruptible(
  client: ApplyClient,
  notify: (line: string) => void,
  proc: Pick<NodeJS.Process, "on" | "off" | "exit"> = process,
): Interruptible {
  let stop = false;
  const onSigint = () => {
    if (stop) proc.exit(130);
    stop = true;
    notify("Interrupted: finishing the changes in flight and starting no new one (Ctrl-C again stops at once).");
  };
  proc.on("SIGINT", onSigint);
  const guarded = new Proxy(client, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (typeof name !== "string" || !CHANGE_METHODS.has(name)) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        if (stop) {
          return Promise.reject(
            new ApiError("not attempted: apply was interrupted", 0, INTERRUPTED_CODE, { method: name, path: "" }),
          );
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: guarded, interrupted: () => stop, dispose: () => proc.off("SIGINT", onSigint) };
}
