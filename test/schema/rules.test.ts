import { describe, expect, it } from "vitest";
import { brief, check, HEAD } from "./helpers.js";

/**
 * One table per rule: (name, file body after HEAD, expected "line:column severity code"
 * list, a fragment one of the messages must contain, a replacement for HEAD). HEAD is 3
 * lines, so bodies start on line 4.
 */
type Case = [name: string, body: string, want: string[], message?: string, head?: string];

const member = (email: string, role: string, extra = "") => `  - email: ${email}\n    role: ${role}\n${extra}`;

const tables: Record<string, Case[]> = {
  "duplicate-email": [
    ["distinct emails", `members:\n${member("a@acme.io", "developer")}${member("b@acme.io", "developer")}`, []],
    ["same email twice in members", `members:\n${member("a@acme.io", "developer")}${member("a@acme.io", "developer")}`, ["7:12 error duplicate-email"], "access.yaml:5:12"],
    ["case and spaces do not make a different person", `members:\n${member("A@Acme.IO", "developer")}${member('" a@acme.io "', "developer")}`, ["7:12 error duplicate-email"], '"a@acme.io" is declared twice'],
    ["group then members: reported at the later place, naming the group", `groups:\n  web:\n    role: developer\n    members: [a@acme.io]\nmembers:\n${member("a@acme.io", "developer")}`, ["9:12 error duplicate-email"], 'in group "web" at access.yaml:7:15'],
    ["two groups", `groups:\n  web:\n    role: developer\n    members: [a@acme.io]\n  api:\n    role: developer\n    members: [b@acme.io, a@acme.io]\n`, ["10:26 error duplicate-email"], 'in group "web"'],
    ["three times: two findings", `members:\n${member("a@acme.io", "developer")}${member("a@acme.io", "developer")}${member("a@acme.io", "developer")}`, ["7:12 error duplicate-email", "9:12 error duplicate-email"]],
  ],
  "invalid-email": [
    ["plain address", `members:\n${member("bob@acme.io", "developer")}`, []],
    ["plus and dots", `members:\n${member("bob.smith+ci@eu.acme.io", "developer")}`, []],
    ["no at sign", `members:\n${member("bob.acme.io", "developer")}`, ["5:12 error invalid-email"], '"bob.acme.io" is not a valid email'],
    ["no domain dot", `members:\n${member("bob@acme", "developer")}`, ["5:12 error invalid-email"]],
    ["inner space", `members:\n${member('"bob smith@acme.io"', "developer")}`, ["5:12 error invalid-email"]],
    ["empty", `members:\n${member('""', "developer")}`, ["5:12 error invalid-email"], "empty"],
    ["in a group", `groups:\n  web:\n    role: developer\n    members: [ok@acme.io, nope]\n`, ["7:27 error invalid-email"]],
    ["owner", "", ["3:8 error invalid-email"], '"founder.acme.io"', HEAD.replace("founder@acme.io", "founder.acme.io")],
    ["requiredAdmins", `safety:\n  requiredAdmins: [ops]\n`, ["5:20 error invalid-email"]],
    ["preserve", `safety:\n  preserve: [ci-bot@acme.io, "bot at acme"]\n`, ["5:30 error invalid-email"]],
  ],
  "unknown-role": [
    ["built-in roles", `members:\n${member("a@acme.io", "developer")}${member("b@acme.io", "account-admin")}`, []],
    ["custom role defined", `roles:\n  support:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "support")}`, []],
    ["typo of a custom role", `roles:\n  support:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "suport")}`, ["5:3 warning unused-role", "9:11 error unknown-role"], 'did you mean "support"?'],
    ["typo of a built-in", `members:\n${member("a@acme.io", "acount-admin")}`, ["6:11 error unknown-role"], 'did you mean "account-admin"?'],
    ["far from anything", `members:\n${member("a@acme.io", "janitor")}`, ["6:11 error unknown-role"], '"janitor" is not a role (roles: account-admin, developer)'],
    ["group role reported once for the group", `groups:\n  web:\n    role: dev\n    members: [a@acme.io, b@acme.io]\n`, ["6:11 error unknown-role"]],
  ],
  "role-assigned-owner": [
    ["member with role owner", `members:\n${member("a@acme.io", "owner")}`, ["6:11 error role-assigned-owner"], "not assignable"],
    ["group with role owner", `groups:\n  bosses:\n    role: owner\n    members: [a@acme.io]\n`, ["6:11 error role-assigned-owner"]],
  ],
  "unknown-permission": [
    ["catalog grant", `members:\n${member("a@acme.io", "developer", "    permissions: [domains:manage]\n")}`, []],
    ["typo in a grant", `members:\n${member("a@acme.io", "developer", "    permissions: [deploy:create]\n")}`, ["7:19 error unknown-permission"], '"deploy:create" is not a permission; did you mean "deployments:create"?'],
    ["wrong case", `members:\n${member("a@acme.io", "developer", "    permissions: [Logs:Read]\n")}`, ["7:19 error unknown-permission"], 'did you mean "logs:read"?'],
    ["in a custom role", `roles:\n  ops:\n    permissions: [logs:read, settings:mange]\nmembers:\n${member("a@acme.io", "ops")}`, ["6:30 error unknown-permission"], 'did you mean "settings:manage"?'],
    ["in a group", `groups:\n  web:\n    role: developer\n    permissions: [dns:manage]\n    members: [a@acme.io]\n`, ["7:19 error unknown-permission"]],
    ["no suggestion when nothing is close", `members:\n${member("a@acme.io", "developer", "    permissions: [launch-missiles]\n")}`, ["7:19 error unknown-permission"], '"launch-missiles" is not a permission'],
  ],
  "owner-only-permission": [
    ["billing:manage granted", `members:\n${member("a@acme.io", "account-admin", "    permissions: [billing:manage]\n")}`, ["7:19 error owner-only-permission"], "belongs to the owner alone"],
    ["ownership:transfer in a custom role", `roles:\n  heir:\n    permissions: [ownership:transfer]\nmembers:\n${member("a@acme.io", "heir")}`, ["6:19 error owner-only-permission"], 'custom role "heir"'],
    ["billing:manage in a group", `groups:\n  finance:\n    role: developer\n    permissions: [billing:read, billing:manage]\n    members: [a@acme.io]\n`, ["7:33 error owner-only-permission"], 'group "finance"'],
  ],
  "reserved-role-name / invalid-role-name": [
    ["good name", `roles:\n  release-manager:\n    permissions: [deployments:create]\nmembers:\n${member("a@acme.io", "release-manager")}`, []],
    ["owner", `roles:\n  owner:\n    permissions: [logs:read]\n`, ["5:3 error reserved-role-name"], "built-in role"],
    ["developer", `roles:\n  developer:\n    permissions: [logs:read]\n`, ["5:3 error reserved-role-name"]],
    ["upper case", `roles:\n  Support:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "Support")}`, ["5:3 error invalid-role-name"]],
    ["starts with a digit", `roles:\n  1st-line:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "1st-line")}`, ["5:3 error invalid-role-name"]],
    ["one letter", `roles:\n  x:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "x")}`, ["5:3 error invalid-role-name"]],
    ["64 characters", `roles:\n  ${"a".repeat(64)}:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "a".repeat(64))}`, ["5:3 error invalid-role-name"]],
  ],
  "required-admin-not-admin": [
    ["account-admin", `safety:\n  requiredAdmins: [ops@acme.io]\nmembers:\n${member("ops@acme.io", "account-admin")}`, []],
    ["the owner", `safety:\n  requiredAdmins: [founder@acme.io]\n`, []],
    ["custom role with access:manage", `safety:\n  requiredAdmins: [ops@acme.io]\nroles:\n  gatekeeper:\n    permissions: [access:manage]\nmembers:\n${member("ops@acme.io", "gatekeeper")}`, []],
    ["developer with an access:manage grant", `safety:\n  requiredAdmins: [ops@acme.io]\nmembers:\n${member("ops@acme.io", "developer", "    permissions: [access:manage]\n")}`, []],
    ["case-insensitive", `safety:\n  requiredAdmins: [OPS@acme.io]\nmembers:\n${member("ops@ACME.io", "account-admin")}`, []],
    ["a developer", `safety:\n  requiredAdmins: [ops@acme.io]\nmembers:\n${member("ops@acme.io", "developer")}`, ["5:20 error required-admin-not-admin"], 'role "developer"'],
    ["not in the file", `safety:\n  requiredAdmins: [ops@acme.io, sec@acme.io]\nmembers:\n${member("ops@acme.io", "account-admin")}`, ["5:33 error required-admin-not-admin"], "not declared"],
    ["expired", `safety:\n  requiredAdmins: [ops@acme.io]\nmembers:\n${member("ops@acme.io", "account-admin", "    expires: 2026-11-26\n")}`, ["5:20 error required-admin-not-admin", "9:14 warning expired-member"], "expired on 2026-11-26"],
  ],
  "min-admins": [
    ["owner alone meets the default", ``, []],
    ["owner and one admin meet 2", `safety:\n  minAdmins: 2\nmembers:\n${member("ops@acme.io", "account-admin")}`, []],
    ["owner alone does not meet 2", `safety:\n  minAdmins: 2\nmembers:\n${member("dev@acme.io", "developer")}`, ["5:14 error min-admins"], "declares 1 admin: 0 members with access:manage plus the owner, who always counts"],
    ["expired admins do not count", `safety:\n  minAdmins: 2\nmembers:\n${member("ops@acme.io", "account-admin", "    expires: 2020-01-01\n")}`, ["5:14 error min-admins", "9:14 warning expired-member"]],
    ["custom admin role counts", `safety:\n  minAdmins: 2\nroles:\n  gatekeeper:\n    permissions: [access:manage]\nmembers:\n${member("ops@acme.io", "gatekeeper")}`, []],
    ["minAdmins 0 allows none", `safety:\n  minAdmins: 0\n`, []],
  ],
  "unknown-role (additive mode)": [
    ["a live custom role the file does not define: a warning, plan checks it", `mode: additive\nmembers:\n${member("a@acme.io", "ops-lead")}`, ["7:11 warning unknown-role"], "additive mode uses it if the workspace has such a custom role"],
    ["not a role name at all: still an error", `mode: additive\nmembers:\n${member("a@acme.io", "Ops_Lead")}`, ["7:11 error unknown-role"]],
  ],
  "owner-listed-as-member": [
    ["owner also under members", `members:\n${member("FOUNDER@acme.io", "account-admin")}`, ["5:12 error owner-listed-as-member"]],
    ["owner in a group", `groups:\n  ops:\n    role: account-admin\n    members: [bob@acme.io, founder@acme.io]\n`, ["7:28 error owner-listed-as-member"], "is the owner (owner:)"],
  ],
  "look-alike-email / mixed-script-email (UTS #39)": [
    ["Cyrillic \u0430 in alice: the later one is an error naming the first, and a warning", `members:\n${member("alice@acme.io", "developer")}${member("\u0430lice@acme.io", "developer")}`, ["7:12 error look-alike-email", "7:12 warning mixed-script-email"], '"\u0430lice@acme.io" reads the same as "alice@acme.io" at access.yaml:5:12'],
    ["Greek \u03bf reads as the owner's o", `members:\n${member("f\u03bfunder@acme.io", "developer")}`, ["5:12 error look-alike-email", "5:12 warning mixed-script-email"], 'reads the same as "founder@acme.io" at access.yaml:3:8'],
    ["rn beside m, both Latin: an error, no warning", `members:\n${member("mike@acme.io", "developer")}${member("rnike@acme.io", "developer")}`, ["7:12 error look-alike-email"]],
    ["mixed scripts alone: a warning naming them", `members:\n${member("b\u043eb@acme.io", "developer")}`, ["5:12 warning mixed-script-email"], "mixes scripts (Cyrillic, Latin)"],
    ["a Cyrillic-only local part is not mixed, and not alice", `members:\n${member("alice@acme.io", "developer")}${member("\u0430\u043b\u0438\u0441\u0430@acme.io", "developer")}`, []],
    ["the same look-alike at another domain is another person", `members:\n${member("alice@acme.io", "developer")}${member("\u0430lice@other.io", "developer")}`, ["7:12 warning mixed-script-email"]],
  ],
  "owner-required": [
    ["a group lists people, owner: absent", `groups:\n  ops:\n    role: account-admin\n    members: [bob@acme.io, founder@acme.io]\n`, ["2:1 error owner-required"], 'group "ops" (access.yaml:8:15) lists people but owner: is absent', "version: 1\nworkspace: acme-prod\nsafety:\n  minAdmins: 0\n"],
    ["no group, owner: absent: nothing to tell", `members:\n${member("a@acme.io", "account-admin")}`, [], undefined, "version: 1\nworkspace: acme-prod\n\n"],
    ["a group and owner:", `groups:\n  ops:\n    role: account-admin\n    members: [bob@acme.io]\n`, []],
  ],
  "redundant-permission (warning)": [
    ["grant already in the built-in role", `members:\n${member("a@acme.io", "developer", "    permissions: [logs:read]\n")}`, ["7:19 warning redundant-permission"], 'already part of role "developer"'],
    ["grant already in the custom role", `roles:\n  support:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "support", "    permissions: [logs:read]\n")}`, ["10:19 warning redundant-permission"]],
    ["group grant already in the group's role", `groups:\n  web:\n    role: developer\n    permissions: [config:read]\n    members: [a@acme.io, b@acme.io]\n`, ["7:19 warning redundant-permission"]],
  ],
  "duplicate-permission (warning)": [
    ["listed twice", `members:\n${member("a@acme.io", "developer", "    permissions: [domains:manage, domains:manage]\n")}`, ["7:35 warning duplicate-permission"]],
  ],
  "expired-member (warning)": [
    ["expires today: still active", `members:\n${member("eve@acme.io", "developer", "    expires: 2026-11-27\n")}`, []],
    ["expired yesterday", `members:\n${member("eve@acme.io", "developer", "    expires: 2026-11-26\n")}`, ["7:14 warning expired-member"], "treated as absent"],
  ],
  "unused-role (warning)": [
    ["held by a group", `roles:\n  support:\n    permissions: [logs:read]\ngroups:\n  help:\n    role: support\n    members: [a@acme.io]\n`, []],
    ["held by nobody", `roles:\n  support:\n    permissions: [logs:read]\n`, ["5:3 warning unused-role"]],
    ["held only by an expired member", `roles:\n  support:\n    permissions: [logs:read]\nmembers:\n${member("a@acme.io", "support", "    expires: 2020-01-01\n")}`, ["5:3 warning unused-role", "10:14 warning expired-member"]],
  ],
  "unknown-key / missing-key / types": [
    ["unknown top-level key with suggestion", `mebers: []\n`, ["4:1 error unknown-key"], 'unknown key "mebers" at the top level; did you mean "members"?'],
    ["unknown member key", `members:\n${member("a@acme.io", "developer", "    expire: 2027-01-01\n")}`, ["7:5 error unknown-key"], 'in members[0]; did you mean "expires"?'],
    ["unknown key far from all", `colour: blue\n`, ["4:1 error unknown-key"], 'unknown key "colour" at the top level'],
    ["two unknown keys in one map", `safety:\n  maxRemoval: 3\n  minAdmin: 1\n`, ["5:3 error unknown-key", "6:3 error unknown-key"]],
    ["missing role", `members:\n  - email: a@acme.io\n`, ["5:5 error missing-key"], 'is missing the required key "role"'],
    ["mode", `mode: authoritarian\n`, ["4:7 error invalid-value"]],
    ["maxResends negative", `invitations:\n  maxResends: -1\n`, ["5:15 error invalid-value"], "at least 0"],
  ],
  "invalid-max-removals / invalid-expires": [
    ["integer", `safety:\n  maxRemovals: 5\n`, []],
    ["percent", `safety:\n  maxRemovals: 10%\n`, []],
    ["decimal percent", `safety:\n  maxRemovals: 12.5%\n`, []],
    ["over 100%", `safety:\n  maxRemovals: 101%\n`, ["5:16 error invalid-max-removals"]],
    ["words", `safety:\n  maxRemovals: a few\n`, ["5:16 error invalid-max-removals"]],
    ["not a date", `members:\n${member("a@acme.io", "developer", "    expires: soon\n")}`, ["7:14 error invalid-expires"]],
    ["not a calendar date", `members:\n${member("a@acme.io", "developer", "    expires: 2027-13-01\n")}`, ["7:14 error invalid-expires"]],
  ],
};

describe.each(Object.entries(tables))("rule %s", (_rule, cases) => {
  it.each(cases)("%s", (_name, body, want, message, head = HEAD) => {
    const result = check(head + body);
    expect(brief(result)).toEqual(want);
    expect(result.desired === null).toBe(want.some((w) => w.includes(" error ")));
    if (message !== undefined) expect(result.diagnostics.map((d) => d.message).join("\n")).toContain(message);
  });
});

describe("min-admins without owner:", () => {
  it.each([
    ["no owner: and no admin meets the default (the owner always counts)", "version: 1\nworkspace: acme-prod\nmembers:\n  - email: bob@acme.io\n    role: developer\n", []],
    ["no owner: and one admin meet 2", "version: 1\nworkspace: acme-prod\nsafety:\n  minAdmins: 2\nmembers:\n  - email: ops@acme.io\n    role: account-admin\n", []],
    ["no owner: and one admin do not meet 3", "version: 1\nworkspace: acme-prod\nsafety:\n  minAdmins: 3\nmembers:\n  - email: ops@acme.io\n    role: account-admin\n", ["4:14 error min-admins"]],
  ])("%s", (_name, text, want) => {
    const result = check(text);
    expect(brief(result)).toEqual(want);
    if (want.length > 0) expect(result.diagnostics[0]!.message).toContain("declares 2 admins: 1 member with access:manage plus the owner, who always counts (named in owner: or not), but minAdmins is 3");
  });
});

describe("a run reports every problem, sorted by position", () => {
  it("lists errors from the schema, normalization and several rules together", () => {
    const text = `${HEAD}colour: red\nsafety:\n  maxRemovals: 200%\nmembers:\n${member("a@acme", "owner")}${member("b@acme.io", "developer", "    permissions: [deploy:create]\n")}`;
    expect(brief(check(text))).toEqual([
      "4:1 error unknown-key",
      "6:16 error invalid-max-removals",
      "8:12 error invalid-email",
      "9:11 error role-assigned-owner",
      "12:19 error unknown-permission",
    ]);
  });
});

describe("ids are exact: a padded role or permission is reported, not silently fixed", () => {
  it.each([
    ["role", `members:\n  - email: a@acme.io\n    role: " developer"\n`, ["6:11 error unknown-role"]],
    ["permission", `members:\n  - email: a@acme.io\n    role: developer\n    permissions: [" domains:manage"]\n`, ["7:19 error unknown-permission"]],
  ])("%s", (_name, body, want) => {
    expect(brief(check(HEAD + body))).toEqual(want);
  });
});
