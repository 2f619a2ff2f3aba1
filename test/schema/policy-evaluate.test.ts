import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "../../schema/catalog.js";
import { evaluatePolicies, type PolicyPerson } from "../../schema/policy/evaluate.js";
import type { Policy } from "../../schema/policy/model.js";
import { check, HEAD } from "./helpers.js";

/**
 * The evaluator, table by table: each matcher, requirement, deny and limit, written as
 * access.yaml writes it (read through the real loader) and judged over a fixed cast of
 * people at a fixed clock. A row names who the policy finds, in the cast's order.
 */

const NOW = new Date("2026-11-30T10:00:00Z");

const perms = (role: keyof typeof BUILT_IN_ROLES, extra: string[] = []) => [...BUILT_IN_ROLES[role].permissions, ...extra];

/** CAST: the owner, two admins (one external), developers in groups, a release manager, a pending contractor. */
const CAST: PolicyPerson[] = [
  { email: "founder@acme.io", state: "owner", role: "owner", permissions: perms("owner"), groups: [] },
  { email: "ops@acme.io", state: "active", role: "account-admin", permissions: perms("account-admin"), groups: [] },
  { email: "mallory@contractor.dev", state: "active", role: "account-admin", permissions: perms("account-admin"), groups: [], expires: "2026-12-15" },
  { email: "bob@acme.io", state: "active", role: "developer", permissions: perms("developer", ["environments:configure"]), groups: ["backend"] },
  { email: "dan@eu.acme.io", state: "active", role: "developer", permissions: perms("developer"), groups: ["frontend"] },
  { email: "trent@acme.io", state: "active", role: "release-manager", permissions: ["deployments:read", "deployments:create", "logs:read"], groups: [] },
  { email: "eve@contractor.dev", state: "pending", role: "developer", permissions: perms("developer"), groups: ["backend"], expires: "2027-06-30" },
  { email: "rupert@agency.example", state: "active", role: "support", permissions: ["deployments:read", "logs:read"], groups: [], expires: "2027-02-27" },
];

/** policyOf reads one policy (YAML lines under `policies:`) through the real loader. */
function policyOf(lines: string): Policy {
  const text = [
    HEAD.trimEnd(),
    "mode: additive",
    "roles:",
    "  release-manager: { description: ships, permissions: [deployments:read, deployments:create, logs:read] }",
    "  support: { description: answers, permissions: [deployments:read, logs:read] }",
    "groups:",
    "  backend: { role: developer, members: [bob@acme.io] }",
    "  frontend: { role: developer, members: [dan@eu.acme.io] }",
    "members:",
    "  - { email: ops@acme.io, role: account-admin }",
    "  - { email: trent@acme.io, role: release-manager }",
    "  - { email: rupert@agency.example, role: support }",
    "policies:",
    "  - name: the-policy",
    ...lines.split("\n").map((l) => `    ${l}`),
    "",
  ].join("\n");
  const result = check(text, NOW);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors, text).toEqual([]);
  return result.desired!.policies![0]!;
}

/** found is who a policy finds in the cast (emails; a limit's subject). */
function found(lines: string, cast: PolicyPerson[] = CAST): string[] {
  return evaluatePolicies([policyOf(lines)], cast, NOW).map((v) => v.email ?? v.subject);
}

const EVERYONE = CAST.map((p) => p.email);
const ALL_BUT = (...emails: string[]) => EVERYONE.filter((e) => !emails.includes(e));

describe("matchers (deny: { roles: [<every role>] } finds exactly who the match selects)", () => {
  const denyAll = "deny: { roles: [owner, account-admin, developer, release-manager, support] }";
  it.each([
    ["no match: everyone", "", EVERYONE],
    ["email, one", "match: { email: ops@acme.io }", ["ops@acme.io"]],
    ["email, a list, case-insensitive", "match: { email: [OPS@Acme.io, bob@acme.io] }", ["ops@acme.io", "bob@acme.io"]],
    ["email, nobody", "match: { email: nobody@acme.io }", []],
    ["emailDomain, one", "match: { emailDomain: contractor.dev }", ["mallory@contractor.dev", "eve@contractor.dev"]],
    ["emailDomain, a list", "match: { emailDomain: [contractor.dev, agency.example] }", ["mallory@contractor.dev", "eve@contractor.dev", "rupert@agency.example"]],
    ["emailDomain is exact: a subdomain is another domain", "match: { emailDomain: acme.io }", ["founder@acme.io", "ops@acme.io", "bob@acme.io", "trent@acme.io"]],
    ["emailDomain, upper case in the file", "match: { emailDomain: EU.ACME.IO }", ["dan@eu.acme.io"]],
    ["emailDomain *.: every subdomain, not the domain itself", "match: { emailDomain: \"*.acme.io\" }", ["dan@eu.acme.io"]],
    ["emailDomain, a domain and its subdomains", "match: { emailDomain: [acme.io, \"*.ACME.io\"] }", ["founder@acme.io", "ops@acme.io", "bob@acme.io", "dan@eu.acme.io", "trent@acme.io"]],
    ["emailDomainNot *.", "match: { emailDomainNot: [acme.io, \"*.acme.io\"] }", ["mallory@contractor.dev", "eve@contractor.dev", "rupert@agency.example"]],
    ["emailDomainNot", "match: { emailDomainNot: [acme.io] }", ["mallory@contractor.dev", "dan@eu.acme.io", "eve@contractor.dev", "rupert@agency.example"]],
    ["emailDomainNot, a list", "match: { emailDomainNot: [acme.io, eu.acme.io] }", ["mallory@contractor.dev", "eve@contractor.dev", "rupert@agency.example"]],
    ["role, built-in", "match: { role: account-admin }", ["ops@acme.io", "mallory@contractor.dev"]],
    ["role, owner", "match: { role: owner }", ["founder@acme.io"]],
    ["role, custom", "match: { role: release-manager }", ["trent@acme.io"]],
    ["roleIn", "match: { roleIn: [developer, support] }", ["bob@acme.io", "dan@eu.acme.io", "eve@contractor.dev", "rupert@agency.example"]],
    ["group", "match: { group: backend }", ["bob@acme.io", "eve@contractor.dev"]],
    ["group, another", "match: { group: frontend }", ["dan@eu.acme.io"]],
    ["hasPermission, through the role", "match: { hasPermission: access:manage }", ["founder@acme.io", "ops@acme.io", "mallory@contractor.dev"]],
    ["hasPermission, through a grant", "match: { hasPermission: environments:configure }", ["founder@acme.io", "bob@acme.io"]],
    ["hasPermission, through a custom role", "match: { hasPermission: deployments:create }", ["founder@acme.io", "bob@acme.io", "dan@eu.acme.io", "trent@acme.io", "eve@contractor.dev"]],
    ["AND of two keys", "match: { emailDomainNot: [acme.io], hasPermission: access:manage }", ["mallory@contractor.dev"]],
    ["AND of three keys", "match: { roleIn: [developer], group: backend, emailDomain: acme.io }", ["bob@acme.io"]],
    ["not", "match: { not: { role: owner } }", ALL_BUT("founder@acme.io")],
    ["not with AND outside", "match: { hasPermission: access:manage, not: { role: owner } }", ["ops@acme.io", "mallory@contractor.dev"]],
    ["not of an AND", "match: { not: { emailDomain: acme.io, role: developer } }", ALL_BUT("bob@acme.io")],
    ["not of not", "match: { not: { not: { group: frontend } } }", ["dan@eu.acme.io"]],
  ])("%s", (_name, match, expected) => {
    expect(found([match, denyAll].filter(Boolean).join("\n"))).toEqual(expected);
  });

  it("an owner nobody named is matched by no email matcher, and by the others", () => {
    const cast: PolicyPerson[] = [{ ...CAST[0]!, email: "" }];
    expect(found(`match: { emailDomainNot: [acme.io] }\n${denyAll}`, cast)).toEqual([]);
    expect(found(`match: { email: founder@acme.io }\n${denyAll}`, cast)).toEqual([]);
    expect(evaluatePolicies([policyOf(`match: { role: owner }\n${denyAll}`)], cast, NOW).map((v) => v.subject)).toEqual(["the owner"]);
  });
});

describe("requirements", () => {
  it.each([
    ["expiresWithin: who has no date or a later one", "match: { emailDomainNot: [acme.io, eu.acme.io] }\nrequire: { expiresWithin: 90d }", ["eve@contractor.dev"]],
    ["expiresWithin: a date 89 days ahead is not within 88d", "match: { email: rupert@agency.example }\nrequire: { expiresWithin: 88d }", ["rupert@agency.example"]],
    ["expiresWithin: a date 89 days ahead is within 89d", "match: { email: rupert@agency.example }\nrequire: { expiresWithin: 89d }", []],
    ["expiresWithin: no expires date", "match: { email: ops@acme.io }\nrequire: { expiresWithin: 365d }", ["ops@acme.io"]],
    ["expiresWithin: short window", "match: { emailDomain: contractor.dev }\nrequire: { expiresWithin: 15d }", ["eve@contractor.dev"]],
    ["expires: true", "match: { emailDomainNot: [acme.io] }\nrequire: { expires: true }", ["dan@eu.acme.io"]],
    ["expires: true, everyone dated", "match: { emailDomain: [contractor.dev, agency.example] }\nrequire: { expires: true }", []],
    ["roleIn", "match: { hasPermission: deployments:create }\nrequire: { roleIn: [release-manager, owner] }", ["bob@acme.io", "dan@eu.acme.io", "eve@contractor.dev"]],
    ["roleIn, all comply", "match: { group: backend }\nrequire: { roleIn: [developer] }", []],
    ["roleNotIn", "match: { emailDomainNot: [acme.io] }\nrequire: { roleNotIn: [account-admin] }", ["mallory@contractor.dev"]],
    ["roleNotIn, owner", "require: { roleNotIn: [owner] }", ["founder@acme.io"]],
    ["permissionsSubsetOf", "match: { role: developer }\nrequire: { permissionsSubsetOf: [resources:manage, deployments:read, deployments:create, logs:read, config:read] }", ["bob@acme.io"]],
    ["permissionsSubsetOf, read-only", "match: { emailDomain: agency.example }\nrequire: { permissionsSubsetOf: [deployments:read, logs:read] }", []],
    ["two requirements: each unmet one is a reason", "match: { email: mallory@contractor.dev }\nrequire: { roleIn: [developer], expiresWithin: 10d }", ["mallory@contractor.dev"]],
  ])("%s", (_name, lines, expected) => {
    expect(found(lines)).toEqual(expected);
  });

  it.each([
    ["match: { email: ops@acme.io }\nrequire: { expiresWithin: 90d }", "has no expires date (access must end within 90d)"],
    ["match: { email: eve@contractor.dev }\nrequire: { expiresWithin: 90d }", "expires 2027-06-30, more than 90d from today (2026-11-30)"],
    ["match: { email: dan@eu.acme.io }\nrequire: { expires: true }", "has no expires date (access must be time-bound)"],
    ["match: { email: bob@acme.io }\nrequire: { roleIn: [release-manager] }", "holds role developer, not one of release-manager"],
    ["match: { email: ops@acme.io }\nrequire: { roleNotIn: [account-admin] }", "holds role account-admin, which this policy rules out"],
    ["match: { email: bob@acme.io }\nrequire: { permissionsSubsetOf: [deployments:read, logs:read] }", "holds resources:manage, deployments:create, config:read, environments:configure, beyond the permissions this policy allows"],
    ["match: { email: mallory@contractor.dev }\nrequire: { roleIn: [developer], expiresWithin: 10d }", "expires 2026-12-15, more than 10d from today (2026-11-30); holds role account-admin, not one of developer"],
  ])("says why: %s", (lines, message) => {
    expect(evaluatePolicies([policyOf(lines)], CAST, NOW).map((v) => v.message)).toEqual([message]);
  });

  it("expiresWithin follows the injected clock", () => {
    const p = policyOf("match: { email: rupert@agency.example }\nrequire: { expiresWithin: 30d }");
    expect(evaluatePolicies([p], CAST, NOW)).toHaveLength(1);
    expect(evaluatePolicies([p], CAST, new Date("2027-01-28T23:59:00Z"))).toHaveLength(0);
  });
});

describe("deny", () => {
  it.each([
    ["permissions, through the role", "match: { emailDomainNot: [acme.io] }\ndeny: { permissions: [access:manage, billing:read, settings:manage] }", ["mallory@contractor.dev"]],
    ["permissions, through a grant", "deny: { permissions: [environments:configure] }", ["founder@acme.io", "bob@acme.io"]],
    ["permissions, owner-only", "deny: { permissions: [billing:manage] }", ["founder@acme.io"]],
    ["permissions, nobody", "match: { emailDomain: agency.example }\ndeny: { permissions: [access:manage] }", []],
    ["roles", "match: { emailDomainNot: [acme.io] }\ndeny: { roles: [account-admin, owner] }", ["mallory@contractor.dev"]],
    ["roles, custom", "deny: { roles: [release-manager] }", ["trent@acme.io"]],
    ["roles and permissions", "match: { not: { role: owner } }\ndeny: { roles: [support], permissions: [billing:read] }", ["ops@acme.io", "mallory@contractor.dev", "rupert@agency.example"]],
  ])("%s", (_name, lines, expected) => {
    expect(found(lines)).toEqual(expected);
  });

  it("says what is held and denied", () => {
    const v = evaluatePolicies([policyOf("match: { email: mallory@contractor.dev }\ndeny: { roles: [account-admin], permissions: [billing:read, access:manage] }")], CAST, NOW);
    expect(v.map((x) => `${x.subject} ${x.message}`)).toEqual(["mallory@contractor.dev holds role account-admin and billing:read, access:manage, which this policy denies"]);
  });
});

describe("limit (the owner, members and pending invitations count)", () => {
  it.each([
    ["a permission at the limit", "limit: { permission: access:manage, max: 3 }", []],
    ["a permission over the limit", "limit: { permission: access:manage, max: 2 }", ["3 people"]],
    ["a pending invitation counts", "limit: { permission: deployments:create, max: 4 }", ["5 people"]],
    ["a role", "limit: { role: developer, max: 2 }", ["3 people"]],
    ["a role at the limit", "limit: { role: account-admin, max: 2 }", []],
    ["max 0", "limit: { role: support, max: 0 }", ["1 people"]],
    ["with a match: only matched people count", "match: { emailDomainNot: [acme.io] }\nlimit: { permission: access:manage, max: 0 }", ["1 people"]],
    ["with a match, within", "match: { not: { role: owner } }\nlimit: { permission: access:manage, max: 2 }", []],
  ])("%s", (_name, lines, expected) => {
    expect(found(lines)).toEqual(expected);
  });

  it("names the holders (five, then how many more) and the limit", () => {
    const v = evaluatePolicies([policyOf("limit: { permission: logs:read, max: 5 }")], CAST, NOW);
    expect(v).toEqual([
      {
        policy: "the-policy",
        severity: "error",
        email: null,
        subject: "8 people",
        count: 8,
        message: "hold logs:read (founder@acme.io, ops@acme.io, mallory@contractor.dev, bob@acme.io, dan@eu.acme.io and 3 more); the limit is 5, counting the owner, members and pending invitations",
      },
    ]);
  });
});

describe("severity and order", () => {
  it("carries the policy's severity (error by default) and keeps policies in file order", () => {
    const a = policyOf("severity: warning\nmatch: { role: support }\ndeny: { roles: [support] }");
    const b = { ...policyOf("match: { role: release-manager }\ndeny: { roles: [release-manager] }"), name: "second" };
    expect(evaluatePolicies([b, a], CAST, NOW).map((v) => [v.policy, v.severity, v.email])).toEqual([
      ["second", "error", "trent@acme.io"],
      ["the-policy", "warning", "rupert@agency.example"],
    ]);
  });
});
