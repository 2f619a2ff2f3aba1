import type { Repositories } from "./repositories/index.js";
import type { Outbox } from "./outbox.js";
import type { ActivityTracker } from "./activity.js";
import type { RevisionFeed } from "./revision-feed.js";

/** ServerContext is what every route handler works with: the repositories, the clock and the settings. */
export interface ServerContext {
  repos: Repositories;
  /** now is the server's clock in epoch milliseconds (injectable: invitation expiry is decided by it). */
  now: () => number;
  invitationTtlMs: number;
  /** idempotencyTtlMs is how long an Idempotency-Key's first answer is kept and replayed. */
  idempotencyTtlMs: number;
  /** maxCustomRoles is how many custom roles one workspace may define. */
  maxCustomRoles: number;
  /** outbox records invitation messages (with their tokens) only when the dev outbox is on; null otherwise. */
  outbox: Outbox | null;
  /** activity holds the access activity not yet written (server/activity.ts); `tracking` false: requests are not recorded. */
  activity: ActivityTracker;
  tracking: boolean;
  /** revisions carries each committed revision bump to the workspace event streams. */
  revisions: RevisionFeed;
}
