import type { DesiredState } from "../../schema/model.js";
import type { LiveState } from "../live-state.js";
import type { Plan, SafetyViolation } from "../plan.js";

/** RailOptions are the command-line switches a rail may honour. */
export interface RailOptions {
  /** allowSelfChange lets the plan remove or demote the caller (`--allow-self-change`). */
  allowSelfChange: boolean;
  /** manager is the manager id this plan's writes are made for (default: the file's, fileManager). */
  manager?: string;
  /** takeOver lists managers whose objects this plan may change anyway (`--take-over`), besides the file's safety.takeOver. */
  takeOver?: readonly string[];
}

/**
 * SafetyRail is a pure check over a plan: the violations it finds, none when the plan
 * may proceed. It reads the plan's changes (not how they were computed), so it judges a
 * saved plan exactly as a fresh one.
 */
export type SafetyRail = (plan: Plan, live: LiveState, desired: DesiredState, options: RailOptions) => SafetyViolation[];

/** listEmails shows up to `max` emails and how many more there are. */
export function listEmails(emails: readonly string[], max = 5): string {
  const sorted = [...emails].sort();
  return sorted.slice(0, max).join(", ") + (sorted.length > max ? ` and ${sorted.length - max} more` : "");
}
