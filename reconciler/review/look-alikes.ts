import { emailSkeleton, mixedScriptLocalPart } from "../../schema/confusables.js";
import { escapeInvisible } from "../../schema/identity.js";
import type { ReviewLookAlike, ReviewPerson } from "./model.js";

/**
 * lookAlikesOf are the review's look-alike warnings over the live people (UTS #39,
 * schema/confusables.ts): each address whose local part mixes scripts, and each that reads
 * the same as another person's of the workspace (named once, against the first in email
 * order). Such addresses predate the server's refusal or were written around it; the review
 * shows them so a person checks which is real. Empty when there is none.
 */
export function lookAlikesOf(people: readonly ReviewPerson[]): ReviewLookAlike[] {
  const found: ReviewLookAlike[] = [];
  const first = new Map<string, string>();
  for (const { email } of people) {
    const shown = escapeInvisible(email);
    const scripts = mixedScriptLocalPart(email);
    if (scripts !== null) {
      found.push({ code: "mixed-script-email", email, scripts, message: `${shown} mixes scripts (${scripts.join(", ")}) before "@": check it is the address you mean, not a look-alike` });
    }
    const key = emailSkeleton(email);
    const other = first.get(key);
    if (other === undefined) first.set(key, email);
    else if (other !== email) {
      found.push({ code: "look-alike-email", email, other, message: `${shown} reads the same as ${escapeInvisible(other)}, also in the workspace: two people who look like one (equal UTS #39 skeletons); check which is real` });
    }
  }
  return found;
}
