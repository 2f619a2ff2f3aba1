import { describe, expect, it } from "vitest";
import accessSchema from "../../schema/access.schema.json" with { type: "json" };
import { BUILT_IN_ROLE_NAMES, CUSTOM_ROLE_NAME_PATTERN, PERMISSION_IDS } from "../../schema/catalog.js";
import { DESCRIPTION_SCHEMA_PATTERN, MAX_DESCRIPTION_LENGTH } from "../../schema/identity.js";
import { formatDiagnostic } from "../../schema/diagnostics.js";
import { checkPolicies } from "../../schema/policy/check.js";
import { POLICY_NAME_PATTERN } from "../../schema/policy/model.js";
import { check, HEAD } from "./helpers.js";

/**
 * The policy language as the loader reads it: every unknown key or value is a diagnostic
 * at its place with "did you mean", names a policy mentions must exist, and validate's
 * policy stage (checkPolicies) points each finding at the person's entry or the policy.
 */

const BASE = [
  HEAD.trimEnd(),
  "roles:",
  "  release-manager: { description: ships, permissions: [deployments:read, deployments:create] }",
  "groups:",
  "  backend: { role: developer, members: [bob@acme.io] }",
  "members:",
  "  - { email: ops@acme.io, role: account-admin }",
  "  - { email: trent@acme.io, role: release-manager }",
  "policies:",
];

/** diagnose validates BASE plus one policy's lines (under `- name: the-policy`, line 12; its lines from 13) and lists `line:col code message`. */
function diagnose(lines: string[], extra: string[] = []): string[] {
  const text = [...BASE, "  - name: the-policy", ...lines.map((l) => `    ${l}`), ...extra, ""].join("\n");
  return check(text).diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
}

describe("unknown keys and values, with did you mean", () => {
  it.each([
    ["a policy key", ["requires: { expires: true }"], 'unknown-key unknown key "requires" in policies[0]; did you mean "require"?'],
    ["a matcher", ["match: { emailDomian: acme.io }", "deny: { roles: [owner] }"], 'unknown-key unknown key "emailDomian" in policies[0].match; did you mean "emailDomain"?'],
    ["a matcher inside not", ["match: { not: { rolee: developer } }", "deny: { roles: [owner] }"], 'unknown-key unknown key "rolee" in policies[0].match.not; did you mean "role"?'],
    ["a requirement", ["require: { expiresWithn: 90d }"], 'unknown-key unknown key "expiresWithn" in policies[0].require; did you mean "expiresWithin"?'],
    ["a deny key", ["deny: { permission: [access:manage] }"], 'unknown-key unknown key "permission" in policies[0].deny; did you mean "permissions"?'],
    ["a limit key", ["limit: { permission: access:manage, maximum: 3 }"], 'unknown-key unknown key "maximum" in policies[0].limit'],
    ["a severity", ["severity: warn", "deny: { roles: [owner] }"], 'invalid-value policies[0].severity must be one of "error", "warning", not "warn"; did you mean "warning"?'],
    ["a permission in a matcher", ["match: { hasPermission: acces:manage }", "deny: { roles: [owner] }"], 'unknown-permission "acces:manage" is not a permission; did you mean "access:manage"?'],
    ["a permission in deny", ["deny: { permissions: [billing:reed] }"], 'unknown-permission "billing:reed" is not a permission; did you mean "billing:read"?'],
    ["a permission in a limit", ["limit: { permission: deployments:creat, max: 2 }"], 'unknown-permission "deployments:creat" is not a permission; did you mean "deployments:create"?'],
    ["a permission in permissionsSubsetOf", ["require: { permissionsSubsetOf: [logs:red] }"], 'unknown-permission "logs:red" is not a permission; did you mean "logs:read"?'],
    ["a role in a matcher", ["match: { role: devloper }", "deny: { roles: [owner] }"], 'unknown-role "devloper" is not a role; did you mean "developer"? (roles: owner, account-admin, developer, release-manager)'],
    ["a role, not role-shaped", ["match: { roleIn: [Admin] }", "deny: { roles: [owner] }"], 'unknown-role "Admin" is not a role (roles: owner, account-admin, developer, release-manager)'],
    ["a custom role in require", ["require: { roleIn: [release-manger] }"], 'unknown-role "release-manger" is not a role; did you mean "release-manager"? (roles: owner, account-admin, developer, release-manager)'],
    ["a role in deny", ["deny: { roles: [acount-admin] }"], 'unknown-role "acount-admin" is not a role; did you mean "account-admin"? (roles: owner, account-admin, developer, release-manager)'],
    ["a role in a limit", ["limit: { role: ownr, max: 1 }"], 'unknown-role "ownr" is not a role; did you mean "owner"? (roles: owner, account-admin, developer, release-manager)'],
    ["a group", ["match: { group: backnd }", "deny: { roles: [owner] }"], 'unknown-group "backnd" is not a group of this file; did you mean "backend"? (groups: backend)'],
    ["a duration", ["require: { expiresWithin: 3 months }"], 'invalid-duration expiresWithin of policy "the-policy" must be a number of days written like "90d", not "3 months"'],
    ["a duration without its unit", ["require: { expiresWithin: 90 }"], 'invalid-duration expiresWithin of policy "the-policy" must be a number of days written like "90d", not "90"'],
    ["no rule", ["match: { role: developer }"], 'policy-rule policy "the-policy" needs exactly one of require, deny or limit (got none)'],
    ["two rules", ["require: { expires: true }", "deny: { roles: [owner] }"], 'policy-rule policy "the-policy" needs exactly one of require, deny or limit (got require and deny)'],
    ["a limit on both", ["limit: { permission: access:manage, role: developer, max: 1 }"], 'invalid-limit the limit of policy "the-policy" counts exactly one of permission or role'],
    ["a limit without max", ["limit: { role: developer }"], 'missing-key policies[0].limit is missing the required key "max"'],
    ["expires: false", ["require: { expires: false }"], "invalid-value policies[0].require.expires"],
    ["an empty deny", ["deny: {}"], "invalid-value policies[0].deny"],
    ["an email in a matcher", ["match: { email: [ops@acme.io, not-an-email] }", "deny: { roles: [owner] }"], 'invalid-email "not-an-email" is not a valid email address'],
    ["a domain with a trailing dot", ["match: { emailDomain: [contractor.dev.] }", "deny: { roles: [owner] }"], 'invalid-domain "contractor.dev." ends with "." and would match no address: write "contractor.dev"'],
    ["a domain with a zero-width space", ["match: { emailDomain: [\"contractor\u200b.dev\"] }", "deny: { roles: [owner] }"], 'invalid-domain "contractor\\u200b.dev" contains the invisible or control character U+200B'],
    ["a wildcard inside a domain", ["match: { emailDomainNot: [\"acme.*\"] }", "deny: { roles: [owner] }"], 'invalid-domain "acme.*" has a "*" that matches no address'],
    ["an empty list of domains", ["match: { emailDomain: [] }", "deny: { roles: [owner] }"], 'invalid-domain "" is empty; a matcher that can match nobody would switch its policy off'],
    ["an email with a bidi control", ["match: { email: \"evil\u202e@acme.io\" }", "deny: { roles: [owner] }"], 'invalid-email "evil\\u202e@acme.io" is not a valid email address: it contains the invisible or control character U+202E'],
    ["a description with a bidi control", ["description: \"evil\u202e\"", "deny: { roles: [owner] }"], 'invalid-description the description of policy "the-policy" contains the invisible or control character U+202E'],
  ])("%s", (_name, lines, expected) => {
    const found = diagnose(lines).filter((d) => d.includes(" error "));
    expect(found.some((d) => d.includes(expected)), found.join("\n")).toBe(true);
  });

  it("a bad policy name and a duplicate name (naming the first place)", () => {
    const found = diagnose(["deny: { roles: [owner] }"], ["  - name: Bad_Name", "    deny: { roles: [owner] }", "  - name: the-policy", "    limit: { role: owner, max: 1 }"]);
    expect(found).toEqual([
      '14:11 error invalid-policy-name policy name "Bad_Name" must be 2-63 characters of a-z, 0-9 and "-", starting with a letter',
      '16:11 error duplicate-policy policy "the-policy" is already defined at access.yaml:12:11',
    ]);
  });

  it("points at the offending value", () => {
    expect(diagnose(["deny: { permissions: [access:manage, billing:reed] }"])).toEqual(['13:42 error unknown-permission "billing:reed" is not a permission; did you mean "billing:read"?']);
  });

  it("in additive mode a custom-role-shaped name the file does not define is a warning (the workspace may have it)", () => {
    const text = [...BASE, "  - name: the-policy", "    deny: { roles: [auditor] }", ""].join("\n").replace("owner: founder@acme.io", "owner: founder@acme.io\nmode: additive");
    const result = check(text);
    expect(result.desired).not.toBeNull();
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning unknown-role"]);
  });

  it("a valid policy reaches the desired state, normalized", () => {
    const result = check([...BASE, "  - name: the-policy", "    description: Contractors", "    severity: warning", "    match: { emailDomainNot: ACME.io, email: [Eve@X.dev] }", "    require: { expiresWithin: 90d }", ""].join("\n"));
    expect(result.desired?.policies).toEqual([
      {
        name: "the-policy",
        description: "Contractors",
        severity: "warning",
        match: { email: ["eve@x.dev"], emailDomainNot: ["acme.io"] },
        rule: { kind: "require", require: { expiresWithin: 90 } },
        source: { file: "access.yaml", line: 12, column: 5, path: ["policies", 0] },
      },
    ]);
  });

  it("a file without policies has no policies key", () => {
    expect(check([...BASE.slice(0, -1), ""].join("\n")).desired).not.toHaveProperty("policies");
  });
});

describe("validate's policy stage: each finding at the person's entry, a limit at its policy", () => {
  it("file:line:col severity policy:<name> <who> <why>", () => {
    const text = [
      ...BASE.slice(0, -1),
      "  - email: eve@contractor.dev",
      "    role: account-admin",
      "policies:",
      "  - name: no-external-admins",
      "    match: { emailDomainNot: [acme.io] }",
      "    deny: { permissions: [access:manage] }",
      "  - name: few-admins",
      "    severity: warning",
      "    limit: { permission: access:manage, max: 2 }",
      "  - name: backend-read-only",
      "    match: { group: backend }",
      "    require: { permissionsSubsetOf: [deployments:read, logs:read] }",
      "",
    ].join("\n");
    const { desired } = check(text);
    expect(checkPolicies(desired!, new Date("2026-11-30T00:00:00Z")).map(formatDiagnostic)).toEqual([
      "access.yaml:11:5 error policy:no-external-admins eve@contractor.dev holds access:manage, which this policy denies",
      "access.yaml:17:5 warning policy:few-admins 3 people hold access:manage (founder@acme.io, ops@acme.io, eve@contractor.dev); the limit is 2, counting the owner, members and pending invitations",
      "access.yaml:7:41 error policy:backend-read-only bob@acme.io holds resources:manage, deployments:create, config:read, beyond the permissions this policy allows",
    ]);
  });

  it("no policies, no findings", () => {
    expect(checkPolicies(check([...BASE.slice(0, -1), ""].join("\n")).desired!, new Date())).toEqual([]);
  });
});

describe("access.schema.json gives editors completion for policies", () => {
  type Node = Record<string, any>;
  const schema = accessSchema as Node;
  const policy = schema.properties.policies.items as Node;
  const match = schema.definitions.policyMatch as Node;

  it("the keys of a policy, a match, a requirement, a deny and a limit", () => {
    expect(Object.keys(policy.properties)).toEqual(["name", "description", "severity", "match", "require", "deny", "limit"]);
    expect(Object.keys(match.properties)).toEqual(["email", "emailDomain", "emailDomainNot", "role", "roleIn", "group", "hasPermission", "inactiveFor", "not"]);
    expect(Object.keys(policy.properties.require.properties)).toEqual(["expiresWithin", "expires", "roleIn", "roleNotIn", "permissionsSubsetOf"]);
    expect(Object.keys(policy.properties.deny.properties)).toEqual(["permissions", "roles"]);
    expect(Object.keys(policy.properties.limit.properties)).toEqual(["permission", "role", "max"]);
    expect(policy.properties.severity.enum).toEqual(["error", "warning"]);
    expect(policy.properties.name.pattern).toBe(POLICY_NAME_PATTERN.source);
    expect([policy.properties.description.pattern, policy.properties.description.maxLength]).toEqual([DESCRIPTION_SCHEMA_PATTERN, MAX_DESCRIPTION_LENGTH]);
  });

  it("every permission value completes the whole catalog (owner-only ones can be denied and counted)", () => {
    for (const node of [match.properties.hasPermission, policy.properties.deny.properties.permissions.items, policy.properties.require.properties.permissionsSubsetOf.items, policy.properties.limit.properties.permission]) {
      expect(node.enum).toEqual([...PERMISSION_IDS]);
    }
  });

  it("every role value completes the built-in roles, owner included, and allows custom names", () => {
    for (const node of [match.properties.role, match.properties.roleIn.items, policy.properties.require.properties.roleIn.items, policy.properties.require.properties.roleNotIn.items, policy.properties.deny.properties.roles.items, policy.properties.limit.properties.role]) {
      expect(node.anyOf[0].enum).toEqual([...BUILT_IN_ROLE_NAMES]);
      expect(node.anyOf[1].pattern).toBe(CUSTOM_ROLE_NAME_PATTERN.source);
    }
  });
});

describe("validate's policy stage: a limit on a custom role points at the role", () => {
  it("at the role's definition", () => {
    const text = [...BASE.slice(0, -1), "  - email: victor@acme.io", "    role: release-manager", "policies:", "  - name: one-release-manager", "    limit: { role: release-manager, max: 1 }", ""].join("\n");
    expect(checkPolicies(check(text).desired!, new Date("2026-11-30T00:00:00Z")).map(formatDiagnostic)).toEqual([
      "access.yaml:5:3 error policy:one-release-manager 2 people hold role release-manager (trent@acme.io, victor@acme.io); the limit is 1, counting the owner, members and pending invitations",
    ]);
  });
});

describe("group names obey the identity grammar", () => {
  it.each([
    ["a zero-width space", "back\u200bend", "U+200B"],
    ["a right-to-left override", "back\u202eend", "U+202E"],
  ])("%s in a group's name is refused", (_name, group, codePoint) => {
    const text = `${HEAD}groups:\n  "${group}":\n    role: developer\n    members: [bob@acme.io]\n`;
    const found = check(text).diagnostics.filter((d) => d.code === "invalid-group-name");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(codePoint);
  });
});

describe("validate's policy stage: a finding about the owner points at `owner:`", () => {
  it("at the owner's own line, not at each policy", () => {
    const text = [
      ...BASE.map((l) => l.replace("owner: founder@acme.io", "owner: boss@other.io")),
      "  - name: no-external-admins",
      "    match: { emailDomainNot: [acme.io] }",
      "    deny: { permissions: [access:manage] }",
      "  - name: externals-expire",
      "    match: { emailDomainNot: [acme.io] }",
      "    require: { expires: true }",
      "",
    ].join("\n");
    const found = checkPolicies(check(text).desired!, new Date("2026-11-30T00:00:00Z"));
    expect(found.map((d) => [d.code, d.line, d.column])).toEqual([
      ["policy:no-external-admins", 3, 8],
      ["policy:externals-expire", 3, 8],
    ]);
  });
});
