import type { AuditAction, AuditClient, AuditEvent } from "../../schema/api.js";
import type { Db } from "../db/open.js";
import { newId } from "../secrets.js";
import { iso, type AuditRow } from "./rows.js";

/**
 * NewAuditEvent is one entry of the access history as the server writes it, in the same
 * transaction as its change: the API's AuditEvent (schema/api.ts, the one declaration of
 * its fields) without the id the repository assigns, with the workspace's row id, `at` in
 * epoch milliseconds, and a known client (`unknown` is only for rows older than clients).
 */
export type NewAuditEvent = Omit<AuditEvent, "id" | "at" | "client" | "manager"> & {
  workspaceId: number;
  at: number;
  client: Exclude<AuditClient, "unknown">;
  /** manager is the request's `X-Antryk-Manager` (absent or null: none). */
  manager?: string | null;
};

/** AuditFilter narrows the access history to an actor, a target and/or an action. */
export interface AuditFilter {
  actor?: string;
  target?: string;
  action?: string;
  /** q keeps the events whose actor or target contains it (lower-cased by the caller, as emails are stored). */
  q?: string;
}

/** auditRepository appends to and pages (newest first) the access history. */
export function auditRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit_events (id, workspace_id, at, actor, action, target, before, after, request_id, reason, client, client_version, manager)
     VALUES (@id, @workspaceId, @at, @actor, @action, @target, @before, @after, @requestId, @reason, @client, @clientVersion, @manager)`,
  );
  const page = db.prepare<Record<string, unknown>, AuditRow>(
    `SELECT * FROM audit_events WHERE workspace_id = @ws AND seq < @before
       AND (@actor IS NULL OR actor = @actor) AND (@target IS NULL OR target = @target)
       AND (@action IS NULL OR action = @action)
       AND (@q IS NULL OR instr(actor, @q) > 0 OR instr(lower(target), @q) > 0)
     ORDER BY seq DESC LIMIT @limit`,
  );
  return {
    append(e: NewAuditEvent) {
      insert.run({
        ...e,
        id: newId("evt_"),
        before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
        after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
        reason: e.reason ?? null,
        clientVersion: e.clientVersion ?? null,
        manager: e.manager ?? null,
      });
    },
    /** page returns up to `limit` events older than `beforeSeq`, newest first. */
    page: (workspaceId: number, beforeSeq: number, limit: number, filter: AuditFilter) =>
      page.all({
        ws: workspaceId,
        before: beforeSeq,
        limit,
        actor: filter.actor ?? null,
        target: filter.target ?? null,
        action: filter.action ?? null,
        q: filter.q ?? null,
      }),
  };
}

/** toAuditEvent is the API shape of an audit row. */
export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: iso(row.at),
    actor: row.actor,
    action: row.action as AuditAction,
    target: row.target,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    requestId: row.request_id,
    ...(row.reason === null ? {} : { reason: row.reason }),
    client: (row.client ?? "unknown") as AuditClient,
    ...(row.client_version === null ? {} : { clientVersion: row.client_version }),
    manager: row.manager,
  };
}
