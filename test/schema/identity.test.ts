import fc from "fast-check";
import { describe, expect, it } from "vitest";
import accessSchema from "../../schema/access.schema.json" with { type: "json" };
import {
  canonicalEmail,
  checkDescription,
  DESCRIPTION_SCHEMA_PATTERN,
  EMAIL_SCHEMA_PATTERN,
  INVISIBLE_CLASS,
  MAX_DESCRIPTION_LENGTH,
  MAX_EMAIL_LENGTH,
  parseEmail,
  ROLE_NAME_SOURCE,
  SCHEMA_INVISIBLE_CLASS,
} from "../../schema/identity.js";
import { brief, check, HEAD } from "./helpers.js";

/**
 * The identity grammar (schema/identity.ts): one table of addresses with their verdict
 * and canonical form, the JSON Schema carrying the very same constants, and the loader
 * reporting what the grammar refuses at the right place.
 */

const local64 = "a".repeat(64);
const longDomain = `${"d".repeat(60)}.${"e".repeat(60)}.${"f".repeat(60)}.${"g".repeat(60)}.io`; // 247 characters

describe("parseEmail", () => {
  it.each([
    ["plain", "bob@acme.io", "bob@acme.io"],
    ["trimmed and lower-cased", "  Bob@ACME.io\t", "bob@acme.io"],
    ["a Unicode local part, NFC-normalised", "Jose\u0301@acme.io", "jos\u00e9@acme.io"],
    ["an IDN domain in ASCII form", "josé@Bücher.de", "josé@xn--bcher-kva.de"],
    ["an IDN domain already in ASCII form", "josé@xn--bcher-kva.de", "josé@xn--bcher-kva.de"],
    ["RFC 5322 atext such as | and `", "a|b`c@acme.io", "a|b`c@acme.io"],
    ["plus addressing", "ops+ci@acme.io", "ops+ci@acme.io"],
    ["a 64-character local part", `${local64}@acme.io`, `${local64}@acme.io`],
    ["254 characters", `${"a".repeat(254 - 1 - longDomain.length)}@${longDomain}`, `${"a".repeat(254 - 1 - longDomain.length)}@${longDomain}`],
  ])("accepts %s", (_name, raw, canonical) => {
    expect(parseEmail(raw)).toEqual({ ok: true, value: canonical });
    expect(canonicalEmail(raw)).toBe(canonical);
  });

  it.each([
    ["an escape sequence", "y\u001b[s\u001b[1;1fowner-was-here\u001b[u@acme.io", /U\+001B/],
    ["a bidi override", "evil\u202eoi.emca@x.io", /U\+202E/],
    ["a bidi isolate", "a\u2066b@acme.io", /U\+2066/],
    ["a zero-width space", "alice\u200b@acme.io", /U\+200B/],
    ["a zero-width joiner", "ali\u200dce@acme.io", /U\+200D/],
    ["a byte-order mark", "\ufeffalice@acme.io", /U\+FEFF/],
    ["a line separator", "alice@acme.io\u2028", /U\+2028/],
    ["a newline inside", "ali\nce@acme.io", /U\+000A/],
    ["a no-break space", "ali\u00a0ce@acme.io", /space/],
    ["a space", "bob smith@acme.io", /space/],
    ["an underscore in the domain", "ops@my_host.io", /invalid domain/],
    ["no dot in the domain", "bob@acme", /invalid domain/],
    ["two @", "a@b@acme.io", /name@domain/],
    ["no @", "bob.acme.io", /name@domain/],
    ["a leading dot", ".bob@acme.io", /misplaced "."/],
    ["two dots", "bo..b@acme.io", /misplaced "."/],
    ["a quoted local part", '"bob"@acme.io', /contains """/],
    ["a 65-character local part", `${local64}a@acme.io`, /longer than 64/],
    ["255 characters", `${"a".repeat(255 - 1 - longDomain.length)}@${longDomain}`, /longer than 254/],
    ["nothing", "  ", /empty/],
    ["a percent-encoded domain", "a@a%41.io", /invalid domain/],
    ["a numeric address the URL parser would rewrite", "a@0x7f.1", /invalid domain/],
    ["invalid punycode", "a@xn--zz.de", /invalid domain/],
  ])("refuses %s", (_name, raw, reason) => {
    const parsed = parseEmail(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it("the fast path for printable ASCII gives what the full grammar gives (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), (raw) => {
        const parsed = parseEmail(raw);
        expect(canonicalEmail(raw)).toBe(parsed.ok ? parsed.value : raw.toLowerCase());
      }),
      { numRuns: 2000 },
    );
    for (const raw of ["Bob@ACME.io", "a@0x7f.1", "a@127.0.0.1", "a@a%41.io"]) {
      const parsed = parseEmail(raw);
      expect(canonicalEmail(raw)).toBe(parsed.ok ? parsed.value : raw.toLowerCase());
    }
  });

  it("canonical forms are fixed points", () => {
    for (const raw of ["Bob@ACME.io", "josé@Bücher.de", "Ünïcödé@Exämple.org"]) expect(parseEmail(canonicalEmail(raw))).toEqual({ ok: true, value: canonicalEmail(raw) });
  });
});

describe("checkDescription", () => {
  it.each([
    ["ordinary text", "Ships services to production", undefined],
    ["1,000 characters", "x".repeat(1000), undefined],
    ["1,001 characters", "x".repeat(1001), /longer than 1000/],
    ["an escape", "ok\u001b[2J", /U\+001B/],
    ["a bidi override", "safe\u202eelbisiv", /U\+202E/],
  ])("%s", (_name, text, problem) => {
    const found = checkDescription(text);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});

describe("access.schema.json carries the grammar's constants", () => {
  const props = accessSchema.properties as any;
  const emailNodes: [string, any][] = [
    ["owner", props.owner],
    ["safety.requiredAdmins[]", props.safety.properties.requiredAdmins.items],
    ["safety.preserve[]", props.safety.properties.preserve.items],
    ["groups.*.members[]", props.groups.additionalProperties.properties.members.items],
    ["members[].email", props.members.items.properties.email],
  ];
  it.each(emailNodes)("%s: maxLength and pattern", (_where, node) => {
    expect(node.maxLength).toBe(MAX_EMAIL_LENGTH);
    expect(node.pattern).toBe(EMAIL_SCHEMA_PATTERN);
  });
  it("roles: the name pattern, the description's limit and pattern", () => {
    expect(props.roles.propertyNames.pattern).toBe(ROLE_NAME_SOURCE);
    const description = props.roles.additionalProperties.properties.description;
    expect(description.maxLength).toBe(MAX_DESCRIPTION_LENGTH);
    expect(description.pattern).toBe(DESCRIPTION_SCHEMA_PATTERN);
    expect(DESCRIPTION_SCHEMA_PATTERN).toContain(SCHEMA_INVISIBLE_CLASS);
  });

  it("the schema's spelled-out invisible characters are all refused by the grammar, and read the same without the u flag", () => {
    const grammar = new RegExp(`^[${INVISIBLE_CLASS}]$`, "u");
    const spelled = new RegExp(`^[${SCHEMA_INVISIBLE_CLASS}]$`);
    let count = 0;
    for (let cp = 0; cp <= 0xffff; cp += 1) {
      const ch = String.fromCharCode(cp);
      if (!spelled.test(ch)) continue;
      count += 1;
      expect(grammar.test(ch), `U+${cp.toString(16)}`).toBe(true);
      expect(new RegExp(`^[${SCHEMA_INVISIBLE_CLASS}]$`, "u").test(ch)).toBe(true);
    }
    expect(count).toBeGreaterThan(80);
  });
});

describe("the loader applies the grammar", () => {
  const member = (email: string) => `members:\n  - email: ${JSON.stringify(email)}\n    role: developer\n`;
  it.each([
    ["an escape sequence", "y\u001b[1;1fx@acme.io", "U+001B"],
    ["a bidi override", "evil\u202eoi.emca@x.io", "U+202E"],
    ["a zero-width space", "alice\u200b@acme.io", "U+200B"],
    ["an underscore in the domain", "ops@my_host.io", "invalid domain"],
    ["258 characters", `${"a".repeat(63)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.io`, "longer than 254"],
  ])("refuses %s with invalid-email at the value", (_name, email, why) => {
    const result = check(HEAD + member(email));
    expect(brief(result)).toEqual(["5:12 error invalid-email"]);
    expect(result.diagnostics[0]!.message).toContain(why);
    expect(result.diagnostics[0]!.message, "the message quotes the value with its invisible characters escaped").not.toMatch(/[\u0000-\u001f\u202e\u200b]/);
  });

  it("every diagnostic quotes file values with invisible characters escaped (a role name with ESC and U+202E)", () => {
    const result = check(`${HEAD}members:\n  - email: a@acme.io\n    role: "dev\\e[2J\\u202eloper"\n`);
    expect(brief(result)).toEqual(["6:11 error unknown-role"]);
    expect(result.diagnostics[0]!.message).toContain("dev\\u001b[2J\\u202eloper");
    expect(result.diagnostics[0]!.message).not.toMatch(/[\u001b\u202e]/);
  });

  it("accepts an internationalised address and stores its canonical form", () => {
    const result = check(HEAD + member("José@Bücher.de"));
    expect(brief(result)).toEqual([]);
    expect(result.desired!.members.map((m) => m.email)).toEqual(["josé@xn--bcher-kva.de"]);
  });

  it("the IDN and punycode spellings of one address are the same person", () => {
    const result = check(`${HEAD}members:\n  - email: josé@bücher.de\n    role: developer\n  - email: JOSÉ@xn--bcher-kva.de\n    role: developer\n`);
    expect(brief(result)).toEqual(["7:12 error duplicate-email"]);
  });

  it.each([
    ["1,001 characters", "x".repeat(1001), "longer than 1000"],
    ["an escape", "ok\u001b[2J", "U+001B"],
  ])("refuses a role description of %s with invalid-description", (_name, description, why) => {
    const result = check(`${HEAD}roles:\n  support:\n    description: ${JSON.stringify(description)}\n    permissions: [logs:read]\n`);
    expect(brief(result).filter((b) => b.includes("error"))).toEqual(["6:18 error invalid-description"]);
    expect(result.diagnostics.find((d) => d.code === "invalid-description")!.message).toContain(why);
  });
});
