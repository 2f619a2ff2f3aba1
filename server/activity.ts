import type { ActivityVia, Member } from "../schema/api.js";
import type { Db } from "./db/open.js";
import { invalid } from "./http-error.js";
import { DAY_MS, DURATION_PATTERN } from "../schema/policy/model.js";
import { iso } from "./repositories/rows.js";

/**
 * Access activity: who uses their access, and through which client. Every authenticated
 * request records its member in memory (a map write, nothing on disk); what was recorded
 * is written in one batched statement at most once per window (ACTIVITY_WINDOW_MS), when
 * a request arrives after the window has passed, when the window's timer fires, and when
 * the server closes. Reads merge what is not yet written, so the API shows activity at
 * once. A crash (SIGKILL, power loss) loses at most the activity of one window: what was
 * recorded since the last flush. Writing activity never bumps a member's `version` nor the
 * workspace's `revision`, and records no audit event: activity is not access.
 */

/** ACTIVITY_WINDOW_MS is the flush window: a member's activity is written at most once per 10 minutes. */
export const ACTIVITY_WINDOW_MS = 10 * 60_000;

/** ActivityStore writes recorded activity; `write` is one batched statement over every entry. */
export interface ActivityStore {
  write(entries: readonly ActivityEntry[]): void;
}

/** ActivityEntry is one member's latest recorded request. */
export interface ActivityEntry {
  memberId: string;
  at: number;
  via: ActivityVia;
}

/** ActivityOptions: the flush window (default ACTIVITY_WINDOW_MS) and whether a real-time timer flushes when no request comes (the server's; tests drive the clock). */
export interface ActivityOptions {
  windowMs?: number;
  timer?: boolean;
}

/**
 * ActivityTracker keeps the activity recorded since the last flush, per member (the latest
 * request wins), and flushes it through its store. `now` is the server's (injectable) clock.
 */
export class ActivityTracker {
  readonly windowMs: number;
  private pending = new Map<string, { at: number; via: ActivityVia }>();
  private lastFlush: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly useTimer: boolean;

  constructor(
    private readonly store: ActivityStore,
    private readonly now: () => number,
    options: ActivityOptions = {},
  ) {
    this.windowMs = options.windowMs ?? ACTIVITY_WINDOW_MS;
    this.useTimer = options.timer === true;
    this.lastFlush = now();
    this.arm();
  }

  /** record notes a request of `memberId` through `via` now; flushes first when the window has passed. */
  record(memberId: string, via: ActivityVia): void {
    const at = this.now();
    const entry = this.pending.get(memberId);
    if (entry === undefined) this.pending.set(memberId, { at, via });
    else if (at >= entry.at) {
      entry.at = at;
      entry.via = via;
    }
    if (at - this.lastFlush >= this.windowMs) this.flushSafely();
  }

  /** flush writes every pending entry in one batched statement and starts a new window; returns how many members it wrote. */
  flush(): number {
    const entries: ActivityEntry[] = [];
    for (const [memberId, e] of this.pending) entries.push({ memberId, at: e.at, via: e.via });
    if (entries.length > 0) this.store.write(entries);
    this.pending.clear();
    this.lastFlush = this.now();
    this.arm();
    return entries.length;
  }

  /** pendingCount is how many members have activity not yet written. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** overlay is `member` with its unflushed activity merged in (the later of stored and recorded). */
  overlay(member: Member): Member {
    const entry = this.pending.get(member.id);
    if (entry === undefined) return member;
    const at = iso(entry.at);
    if (member.lastActiveAt !== null && member.lastActiveAt >= at) return member;
    return { ...member, lastActiveAt: at, lastActiveVia: entry.via };
  }

  /** activeSince tells whether unflushed activity of `memberId` is at or after `cutoff` (ms). */
  activeSince(memberId: string, cutoff: number): boolean {
    const entry = this.pending.get(memberId);
    return entry !== undefined && entry.at >= cutoff;
  }

  /** close flushes what is pending and stops the timer (the server calls it before closing the database). */
  close(): void {
    this.flush();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (!this.useTimer) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushSafely(), this.windowMs);
    this.timer.unref();
  }

  /** flushSafely is the flush of a request or the timer: a failure (a locked database) never fails the request; the entries wait for the next window, reported on stderr. */
  private flushSafely(): void {
    try {
      this.flush();
    } catch (err) {
      this.lastFlush = this.now();
      this.arm();
      process.stderr.write(`${new Date().toISOString()} activity flush failed, kept for the next one: ${(err as Error).message}\n`);
    }
  }
}

/** inactiveCutoff reads `?inactiveFor=90d` (1 to 36,500 days, as policies write it) into the time before which a member counts as inactive; anything else is a 400 naming the field. */
export function inactiveCutoff(text: string, now: number): number {
  if (!DURATION_PATTERN.test(text)) throw invalid("inactiveFor", `must be a number of days written like "90d", not "${text}"`, "bad_duration");
  return now - Number(text.slice(0, -1)) * DAY_MS;
}

/**
 * sqliteActivityStore writes activity into `members` with one UPDATE over a JSON array of
 * entries (one statement, one parameter, however many members). A stored time is never
 * moved back, and a member removed since is simply not found.
 */
export function sqliteActivityStore(db: Db): ActivityStore {
  const update = db.prepare<[string]>(
    `UPDATE members SET last_active_at = a.at, last_active_via = a.via
     FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS at, json_extract(value, '$[2]') AS via FROM json_each(?)) AS a
     WHERE members.id = a.id AND (members.last_active_at IS NULL OR members.last_active_at < a.at)`,
  );
  return { write: (entries) => void update.run(JSON.stringify(entries.map((e) => [e.memberId, e.at, e.via]))) };
}
