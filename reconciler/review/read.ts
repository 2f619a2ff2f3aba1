import { ApiError } from "../../errors.js";
import { normalizeEmail } from "../../schema/catalog.js";
import type { AuditEvent, Page } from "../../schema/api.js";
import { fetchWorkspaceState, type FetchClient } from "../fetch.js";
import { HISTORY_PAGE_SIZE, type HistoryClient } from "../history.js";
import type { LiveState } from "../live-state.js";
import type { HistoryCoverage } from "./model.js";

/** REVIEW_HISTORY_PAGE_CAP is the most history pages a review reads (60,000 events with pages of 1,000). */
export const REVIEW_HISTORY_PAGE_CAP = 60;

/** ReviewClient is what reading a review needs of the client: the live-state lists and the history pages. */
export type ReviewClient = FetchClient & HistoryClient;

/** ReviewReads is what readReview returns for buildReview. */
export interface ReviewReads {
  live: LiveState;
  lastChange: Map<string, AuditEvent>;
  history: HistoryCoverage;
}

/**
 * readReview reads what a review needs, with bounded reads and none per person: the live
 * workspace (fetchWorkspaceState: 6 calls plus one per 1,000 members or invitations of a
 * status beyond the first), then the access history newest first, a page at a time, until
 * every person's newest event is found (the owner's is not looked for), the history ends
 * or `pageCap` pages were read.
 * A token that may not read the history (403) gives a review without last changes.
 */
export async function readReview(
  client: ReviewClient,
  workspace: string,
  options: { pageCap?: number; pageSize?: number } = {},
): Promise<ReviewReads> {
  const live = await fetchWorkspaceState(client, workspace);
  const open = live.invitations.filter((i) => i.status === "pending" || i.status === "expired");
  // The owner's access is never changed by anyone (its only event is workspace.created, the
  // oldest), so looking for it would always read the whole history: it is not looked for.
  const owner = normalizeEmail(live.workspace.owner);
  const people = new Set([...live.members.map((m) => m.email), ...open.map((i) => i.email)].map(normalizeEmail).filter((e) => e !== owner));
  const pageCap = options.pageCap ?? REVIEW_HISTORY_PAGE_CAP;
  const pageSize = options.pageSize ?? HISTORY_PAGE_SIZE;
  const lastChange = new Map<string, AuditEvent>();
  let pagesRead = 0;
  let eventsRead = 0;
  let ended = false;
  let cursor: string | undefined;
  while (lastChange.size < people.size && pagesRead < pageCap) {
    let page: Page<AuditEvent>;
    try {
      page = await client.listAudit(workspace, { limit: pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        return { live, lastChange, history: { readable: false, pagesRead, eventsRead, complete: false } };
      }
      throw err;
    }
    pagesRead += 1;
    eventsRead += page.items.length;
    for (const event of page.items) {
      if (!isPersonEvent(event)) continue;
      const key = normalizeEmail(event.target);
      if (people.has(key) && !lastChange.has(key)) lastChange.set(key, event);
    }
    if (page.nextCursor === null) {
      ended = true;
      break;
    }
    cursor = page.nextCursor;
  }
  return { live, lastChange, history: { readable: true, pagesRead, eventsRead, complete: ended || lastChange.size === people.size } };
}

function isPersonEvent(e: AuditEvent): boolean {
  return e.action.startsWith("member.") || e.action.startsWith("invitation.");
}
