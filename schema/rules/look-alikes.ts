import { emailSkeleton, mixedScriptLocalPart } from "../confusables.js";
import { escapeInvisible, parseEmail } from "../identity.js";
import { memberPath } from "../normalize.js";
import type { YamlPath } from "../source/locator.js";
import { error, warning, type Finding, type Rule } from "./types.js";

/**
 * lookAlikeEmails (`mixed-script-email`, `look-alike-email`): an address whose part before
 * "@" mixes scripts (UTS #39: `аlice` with a Cyrillic а) is a warning; one whose skeleton
 * equals another person's of the file, the owner's included (`аlice@acme.io` and
 * `alice@acme.io`: two people who read as one) is an error naming both places
 * (schema/confusables.ts). An address the grammar refuses is judged by that rule alone (its
 * refusal names the character).
 */
export const lookAlikeEmails: Rule = (draft, ctx) => {
  const findings: Finding[] = [];
  const bySkeleton = new Map<string, { email: string; path: YamlPath }>();
  const owner = draft.owner;
  if (owner !== undefined && parseEmail(owner.value).ok) bySkeleton.set(emailSkeleton(owner.value), { email: owner.value, path: owner.path });
  for (const m of draft.members) {
    if (!parseEmail(m.email).ok) continue;
    const scripts = mixedScriptLocalPart(m.email);
    if (scripts !== null) {
      findings.push(warning("mixed-script-email", memberPath(m, "email"), `"${escapeInvisible(m.email)}" mixes scripts (${scripts.join(", ")}) before "@": check it is the address you mean, not a look-alike`));
    }
    const key = emailSkeleton(m.email);
    const other = bySkeleton.get(key);
    if (other === undefined) bySkeleton.set(key, { email: m.email, path: memberPath(m, "email") });
    else if (other.email !== m.email) {
      findings.push(
        error("look-alike-email", memberPath(m, "email"), `"${escapeInvisible(m.email)}" reads the same as "${escapeInvisible(other.email)}" at ${ctx.where(other.path)}: two people who look like one; keep the real address only`),
      );
    }
  }
  return findings;
};
