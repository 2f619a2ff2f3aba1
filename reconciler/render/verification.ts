import type { Change } from "../plan.js";
import type { AttributedDeviation } from "../verify.js";
import { showInvisible } from "./escape.js";
import { describeState, eventText, subjectOf, verbOf } from "./words.js";

/** The lines a failed verification is told in, shared by the CLI's apply report and the Pulumi doors' errors; pure. */

/** deviationLine names one broken promise: what the plan promised, what was found, and the newest history event about it (who, through which client); indented two spaces, invisible characters escaped. */
export function deviationLine(d: AttributedDeviation): string {
  const by = d.event === null ? "no history event found" : `last changed by ${eventText(d.event)}`;
  return showInvisible(`  ${d.subject}: promised ${d.promised}; found ${d.found} (${by})`);
}

/** differenceLine names one remaining difference as the change a new plan would make; indented two spaces, invisible characters escaped. */
export function differenceLine(change: Change): string {
  return showInvisible(`  ${verbOf(change)} ${subjectOf(change)}${describeState(change)}  (${change.reason})`);
}
