import type { AuditEvent } from "../schema/api.js";
import type { LiveSince } from "./plan.js";

/** liveSinceOf keeps what a reader needs of an audit event; with `own`, whether another manager made it. */
export function liveSinceOf(event: AuditEvent, own?: string): LiveSince {
  const manager = event.manager ?? undefined;
  return {
    eventId: event.id,
    action: event.action,
    actor: event.actor,
    at: event.at,
    requestId: event.requestId,
    client: event.client,
    ...(event.clientVersion !== undefined ? { clientVersion: event.clientVersion } : {}),
    ...(manager !== undefined ? { manager } : {}),
    ...(manager !== undefined && own !== undefined && manager !== own ? { otherManager: true } : {}),
  };
}
