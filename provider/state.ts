import { normalizeEmail } from "../schema/catalog.js";
import type { DesiredState, Safety, SourceRef } from "../schema/model.js";
import { DEFAULTS } from "../schema/model.js";

/**
 * What the provider keeps in Pulumi state besides live counts: the record of what a
 * WorkspaceAccess applied (so destroy follows state, not whatever the file says at
 * destroy time), capped lists, and secret envelopes for outputs derived from a secret input.
 */

/** MAX_LISTED caps every list output (`driftChanges`, `warnings`); the full count is beside it. */
export const MAX_LISTED = 50;

/** capList keeps the first MAX_LISTED entries of a list output. */
export function capList(items: readonly string[]): string[] {
  return items.slice(0, MAX_LISTED);
}

/**
 * ManagedRecord is what a WorkspaceAccess with `removeOnDelete` applied: the people and
 * custom roles its document named at the last apply, and the rails to remove them with.
 * Delete removes exactly these.
 */
export interface ManagedRecord {
  members: string[];
  roles: string[];
  safety: Safety;
}

/** managedOf records what a desired state names. */
export function managedOf(desired: DesiredState): ManagedRecord {
  const members = [...new Set([...desired.members, ...desired.expiredMembers].map((m) => normalizeEmail(m.email)))].sort();
  return { members, roles: desired.roles.map((r) => r.name).sort(), safety: desired.safety };
}

const RECORD_SOURCE: SourceRef = { file: "<pulumi state>", line: 1, column: 1, path: [] };

/** desiredOfManaged is a desired state naming exactly the recorded people and roles (what removalDesired takes away). */
export function desiredOfManaged(record: ManagedRecord, workspace: string): DesiredState {
  return {
    file: RECORD_SOURCE.file,
    version: 1,
    workspace,
    mode: "authoritative",
    safety: record.safety,
    invitations: { resendExpired: DEFAULTS.resendExpired, maxResends: DEFAULTS.maxResends },
    roles: record.roles.map((name) => ({ name, description: "", permissions: [], source: RECORD_SOURCE })),
    members: record.members.map((email) => ({ email, role: "developer", permissions: [], source: RECORD_SOURCE })),
    expiredMembers: [],
  };
}

/** SECRET_SIG / SECRET_VALUE mark a secret value in a property map (pulumi's rpc.specialSigKey / specialSecretSig). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** secretIf wraps an output value so the engine stores it as a secret, when `secret` is true. */
export function secretIf<T>(secret: boolean, value: T): T | Record<string, unknown> {
  if (!secret || value === undefined) return value;
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** reveal unwraps a value the engine may hand back still marked secret. */
export function reveal(value: unknown): unknown {
  if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE) {
    return (value as { value: unknown }).value;
  }
  return value;
}
