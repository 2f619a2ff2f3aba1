import { escapeInvisible, parseEmail } from "../identity.js";
import { memberPath, type DraftMember } from "../normalize.js";
import type { Position } from "../source/locator.js";
import { error, type Rule } from "./types.js";

/** isEmail tells whether a (normalized) value is an address under the identity grammar (schema/identity.ts). */
export function isEmail(value: string): boolean {
  return parseEmail(value).ok;
}

/** invalidEmail (`invalid-email`): every email — members, groups, owner, requiredAdmins, preserve — must be an address under the identity grammar. */
export const invalidEmail: Rule = (draft) => {
  const all = [
    ...draft.members.map((m) => ({ value: m.email, path: memberPath(m, "email") })),
    ...[...(draft.owner ? [draft.owner] : []), ...draft.requiredAdmins, ...draft.preserve],
  ];
  return all.flatMap((e) => {
    const parsed = parseEmail(e.value);
    if (parsed.ok) return [];
    return [error("invalid-email", e.path, e.value === "" ? "the email is empty" : `"${escapeInvisible(e.value)}" is not a valid email address: it ${parsed.reason}`)];
  });
};

/** duplicateEmail (`duplicate-email`): an email (case-insensitive) is declared once in the whole file; the message names both places. */
export const duplicateEmail: Rule = (draft, ctx) => {
  const first = new Map<string, DraftMember>();
  const findings = [];
  for (const m of draft.members) {
    let earlier = first.get(m.email);
    if (!earlier) {
      first.set(m.email, m);
      continue;
    }
    let later = m;
    // `members` entries come before group entries in the draft; report at the later place in the file.
    if (isAfter(ctx.locate(memberPath(earlier, "email")), ctx.locate(memberPath(later, "email")))) [earlier, later] = [later, earlier];
    findings.push(
      error(
        "duplicate-email",
        memberPath(later, "email"),
        `"${m.email}" is declared twice: ${place(earlier)} at ${ctx.where(memberPath(earlier, "email"))} and ${place(later)} here; declare each person once`,
      ),
    );
  }
  return findings;
};

/** ownerListedAsMember (`owner-listed-as-member`): the owner is asserted with `owner:`, never listed as a member. */
export const ownerListedAsMember: Rule = (draft) => {
  const owner = draft.owner?.value;
  if (!owner) return [];
  return draft.members
    .filter((m) => m.email === owner)
    .map((m) => error("owner-listed-as-member", memberPath(m, "email"), `"${owner}" is the owner (owner:) and cannot also be listed as a member; the owner's access is never managed by this tool`));
};

/**
 * ownerRequiredByGroups (`owner-required`): a workspace whose groups list people names its
 * owner with `owner:`. A group's list is often shared (a library imported by several
 * workspaces), and the owner in it is refused: `plan` blocks it against the live owner, and
 * with `owner:` validate refuses it offline (owner-listed-as-member); without `owner:` validate
 * could not know, so it asks for it instead of passing a file plan then blocks.
 */
export const ownerRequiredByGroups: Rule = (draft, ctx) => {
  const first = draft.members.find((m) => m.group !== undefined);
  if (draft.owner !== undefined || first === undefined) return [];
  return [
    error(
      "owner-required",
      ["workspace"],
      `group "${first.group}" (${ctx.where(first.entryPath)}) lists people but owner: is absent: name the workspace's owner (owner: <email>) so validate can tell that no group lists them; plan reads the owner from the workspace and blocks a file whose group lists the owner`,
      true,
    ),
  ];
};

function isAfter(a: Position, b: Position): boolean {
  return a.line > b.line || (a.line === b.line && a.column > b.column);
}

function place(m: DraftMember): string {
  return m.group === undefined ? `in members` : `in group "${m.group}"`;
}
