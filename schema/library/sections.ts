import { POLICY_RULES } from "../policy/rules.js";
import { RULES, type Rule } from "../rules/index.js";

/**
 * The sections a library (`kind: library`) may hold, and how each merges into the file
 * that imports it: a name defined in two files is a collision (`duplicate-definition`),
 * whatever the section. Adding a
 * shared section (e.g. `policies`) is one line in SHARED_SECTION_RULES (and its JSON Schema).
 */

/**
 * SectionRule says how one shared section merges: `map` (name → definition; a name in two
 * files collides) or `named-list` (a list of items each carrying a unique `key`, e.g.
 * `name`; items are appended in import order and a key in two files collides). `noun` names
 * one definition in messages.
 */
export type SectionRule = { merge: "map"; noun: string } | { merge: "named-list"; noun: string; key: string };

/**
 * SHARED_SECTION_RULES: the top-level keys a library may define, merged into every importer.
 * One line per section; e.g. `policies: { merge: "named-list", noun: "policy", key: "name" }`.
 */
export const SHARED_SECTION_RULES = {
  roles: { merge: "map", noun: "role" },
  groups: { merge: "map", noun: "group" },
  policies: { merge: "named-list", noun: "policy", key: "name" },
} as const satisfies Record<string, SectionRule>;

/** SharedSection is one key of SHARED_SECTION_RULES. */
export type SharedSection = keyof typeof SHARED_SECTION_RULES;

/** SHARED_SECTIONS lists the shared sections in merge order. */
export const SHARED_SECTIONS = Object.keys(SHARED_SECTION_RULES) as SharedSection[];

/** LIBRARY_KEYS are every top-level key a library may have. */
export const LIBRARY_KEYS: readonly string[] = ["version", "kind", "imports", ...SHARED_SECTIONS];

/**
 * LIBRARY_RULES are the named rules that judge a library on its own (validate runs them once
 * per library): those about the definitions themselves. Rules that need a workspace (admins,
 * the owner, unknown or unused roles) judge the library's definitions inside every
 * importing workspace instead.
 */
export const LIBRARY_RULES: readonly Rule[] = [
  RULES.invalidEmail!,
  RULES.duplicateEmail!,
  RULES.roleNames!,
  RULES.invalidDescription!,
  RULES.roleAssignedOwner!,
  RULES.unknownPermission!,
  RULES.ownerOnlyPermission!,
  RULES.redundantPermission!,
  RULES.duplicatePermission!,
  // The policy language's own rules; the names a policy mentions are judged in every importer (its roles and groups).
  POLICY_RULES.policyNames!,
  POLICY_RULES.policyShape!,
];
