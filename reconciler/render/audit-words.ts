import type { AuditAction, AuditClient } from "../../schema/api.js";
import type { LiveSince } from "../plan.js";

/**
 * The wording of the access history, one home for the CLI's renderers and the dashboard
 * (which loads this module compiled, as a browser ES module: it imports nothing but types).
 */

/** ACTION_PHRASES says what an access-history event did, before `by <actor>`. */
export const ACTION_PHRASES: Readonly<Record<AuditAction, string>> = {
  "workspace.created": "workspace created",
  "invitation.created": "invited",
  "invitation.updated": "invitation changed",
  "invitation.resent": "invitation resent",
  "invitation.revoked": "invitation revoked",
  "invitation.transferred": "invitation transferred",
  "invitation.accepted": "invitation accepted",
  "member.updated": "changed",
  "member.removed": "removed",
  "role.created": "role created",
  "role.updated": "role changed",
  "role.deleted": "role deleted",
};

/** ACTION_LABELS names each access-history action as a table cell or a filter option says it: `Invited`, `Access changed`. */
export const ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  "workspace.created": "Workspace created",
  "invitation.created": "Invited",
  "invitation.updated": "Invitation changed",
  "invitation.resent": "Invitation resent",
  "invitation.revoked": "Invitation revoked",
  "invitation.transferred": "Invitation transferred",
  "invitation.accepted": "Invitation accepted",
  "member.updated": "Access changed",
  "member.removed": "Member removed",
  "role.created": "Role created",
  "role.updated": "Role changed",
  "role.deleted": "Role deleted",
};

/** actionLabel is ACTION_LABELS's label of an action, or the action id itself for one this version does not know. */
export function actionLabel(action: string): string {
  return (ACTION_LABELS as Readonly<Record<string, string>>)[action] ?? action;
}

/** clientPhrase says through what a change was made: `in the dashboard`, `with antryk-access 0.1.0`, `through the API`. */
export function clientPhrase(client: AuditClient, version?: string): string {
  switch (client) {
    case "dashboard":
      return "in the dashboard";
    case "antryk-access":
      return version === undefined ? "with antryk-access" : `with antryk-access ${version}`;
    case "api":
      return "through the API";
    case "server":
      return "by the server";
    case "unknown":
      return "through an unrecorded client";
    default:
      return unknownClient(client, "through an unrecorded client");
  }
}

/** clientLabel names what made a change as a table cell says it: `Dashboard`, `antryk-access 0.1.0`, `API`, `Server`, `Unknown`. */
export function clientLabel(client: AuditClient, version?: string): string {
  switch (client) {
    case "dashboard":
      return "Dashboard";
    case "antryk-access":
      return version === undefined ? "antryk-access" : `antryk-access ${version}`;
    case "api":
      return "API";
    case "server":
      return "Server";
    case "unknown":
      return "Unknown";
    default:
      return unknownClient(client, "Unknown");
  }
}

// The switches above are exhaustive for this version's clients (the compiler checks it); a client a newer server records reads as unrecorded.
function unknownClient(_client: never, words: string): string {
  return words;
}

/** minuteUtc shows an ISO time to the minute: `2026-11-29 10:02 UTC`. */
export function minuteUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** eventText is one access-history event in words (liveSinceText, the review report); `quote` renders the values (actor, client version) for the output at hand. */
export function eventText(e: LiveSince, quote: (value: string) => string = (v) => v): string {
  const version = e.clientVersion === undefined ? undefined : quote(e.clientVersion);
  const made = `${ACTION_PHRASES[e.action]} by ${quote(e.actor)} ${clientPhrase(e.client, version)}`;
  const fight = e.otherManager === true && e.manager !== undefined ? ` for another manager, ${quote(e.manager)} (a fight between tools, not a hand edit)` : "";
  return `${made}${fight}, ${minuteUtc(e.at)}`;
}
