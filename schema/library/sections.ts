import { RULES, type Rule } from "../rules/index.js";

/**
 * The sections a library (`kind: library`) may hold, and how each merges into the file
 * that imports it. Every shared section is a map of name → definition: a name defined in
 * two files is a collision (`duplicate-definition`), whatever the section. Adding a
 * shared section (e.g. `policies`) is one line here (and its JSON Schema).
 */

/** SHARED_SECTIONS are the top-level keys a library may define, merged name by name into every importer. */
export const SHARED_SECTIONS = ["roles", "groups"] as const;

/** SharedSection is one key of SHARED_SECTIONS. */
export type SharedSection = (typeof SHARED_SECTIONS)[number];

/** SECTION_NOUN names a definition of each section in messages ("role", "group"). */
export const SECTION_NOUN: Record<SharedSection, string> = { roles: "role", groups: "group" };

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
];
