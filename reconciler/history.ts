import { ApiError } from "../errors.js";
import { normalizeEmail } from "../schema/catalog.js";
import type { AuditEvent, Page } from "../schema/api.js";
import { compareWarnings } from "./plan-order.js";
import { CHANGE_KIND_TABLE, subjectOf } from "./change-kinds.js";
import { liveSinceOf } from "./live-since.js";
import { type Change, type LiveSince, type Plan, type PlanWarning } from "./plan.js";

export { liveSinceOf };

/**
 * History in the plan: for each change, the most recent access-history event that
 * produced the live value it changes (docs/plan-format.md, "liveSince"). A separate,
 * reading step after the pure computePlan; the CLI's plan and apply call it.
 */

/** HISTORY_PAGE_SIZE is the page size of the history reads (the API's maximum). */
export const HISTORY_PAGE_SIZE = 1000;

/** HISTORY_PAGE_CAP is the most history pages attributeChanges reads for one plan (10,000 events at most). */
export const HISTORY_PAGE_CAP = 10;

/** HistoryClient is the one client method attribution needs. */
export interface HistoryClient {
  listAudit(workspace: string, query?: { limit?: number; cursor?: string }): Promise<Page<AuditEvent>>;
}

/** AttributeOptions: `pageCap` bounds the pages read (default HISTORY_PAGE_CAP), `pageSize` their size (default HISTORY_PAGE_SIZE). */
export interface AttributeOptions {
  pageCap?: number;
  pageSize?: number;
  /** manager is the plan's own manager id: an event made for another one is marked `otherManager` (a fight between tools). */
  manager?: string;
}

/**
 * attributeChanges returns `plan` with `liveSince` set on every change: the newest event
 * among the `producers` of the change's kind (CHANGE_KIND_TABLE) whose target is the change's subject, or null when the
 * pages read hold none. It reads the history newest first, a page at a time, until every change is explained, the history ends, or `pageCap` pages were
 * read; in that last case a `history-incomplete` warning names the changes left
 * unexplained. A plan without changes is returned as is, with no read at all. A caller
 * without access:manage cannot read the history (403): the plan then carries a
 * `history-unreadable` warning and no liveSince. Every other error propagates.
 */
export async function attributeChanges(plan: Plan, client: HistoryClient, options: AttributeOptions = {}): Promise<Plan> {
  if (plan.changes.length === 0) return plan;
  const pageCap = options.pageCap ?? HISTORY_PAGE_CAP;
  const pageSize = options.pageSize ?? HISTORY_PAGE_SIZE;
  const wanted = new Map<string, Change[]>();
  for (const change of plan.changes) {
    const key = subjectKey(change);
    wanted.set(key, [...(wanted.get(key) ?? []), change]);
  }
  const found = new Map<Change, LiveSince>();
  let open = plan.changes.length;
  let cursor: string | undefined;
  let pages = 0;
  let ended = false;
  while (open > 0 && pages < pageCap) {
    let page: Page<AuditEvent>;
    try {
      page = await client.listAudit(plan.workspace, { limit: pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return withWarning(plan, unreadable(err));
      throw err;
    }
    pages += 1;
    for (const event of page.items) {
      const candidates = wanted.get(eventKey(event));
      if (candidates === undefined) continue;
      for (const change of candidates) {
        if (found.has(change) || !CHANGE_KIND_TABLE[change.kind].producers.includes(event.action)) continue;
        found.set(change, liveSinceOf(event, options.manager));
        open -= 1;
      }
    }
    if (page.nextCursor === null) {
      ended = true;
      break;
    }
    cursor = page.nextCursor;
  }
  const changes = plan.changes.map((c) => ({ ...c, liveSince: found.get(c) ?? null }));
  const attributed = { ...plan, changes };
  if (open === 0 || ended) return attributed;
  const unexplained = plan.changes.filter((c) => !found.has(c)).map((c) => c.key);
  return withWarning(attributed, {
    code: "history-incomplete",
    message: `read ${pages} page${pages === 1 ? "" : "s"} of the access history (the cap: the ${pages * pageSize} newest events) without finding who set the live value of: ${unexplained.join(", ")}`,
  });
}


function subjectKey(c: Change): string {
  return CHANGE_KIND_TABLE[c.kind].subject === "role" ? `role:${subjectOf(c)}` : `person:${normalizeEmail(subjectOf(c))}`;
}

function eventKey(e: AuditEvent): string {
  return e.action.startsWith("role.") ? `role:${e.target}` : `person:${normalizeEmail(e.target)}`;
}

function unreadable(err: ApiError): PlanWarning {
  return { code: "history-unreadable", message: `the access history could not be read (${err.message}), so the changes do not say who set the live values` };
}

function withWarning(plan: Plan, warning: PlanWarning): Plan {
  return { ...plan, warnings: [...plan.warnings, warning].sort(compareWarnings) };
}
