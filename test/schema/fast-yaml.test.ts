import fc from "fast-check";
import { LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { fastParseYaml } from "../../schema/source/fast-yaml.js";
import { fastLocator, yamlLocator, type YamlPath } from "../../schema/source/locator.js";

/**
 * The fast parser's contract (schema/source/fast-yaml.ts): for any text it either declines,
 * or returns exactly what `yaml` returns — same value, no `yaml` error, same positions.
 * Checked on generated access-like documents in many styles, and on random mutations of them.
 */

function assertAgrees(text: string): "fast" | "declined" {
  const fast = fastParseYaml(text);
  if (!("value" in fast)) return "declined";
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, version: "1.2" });
  expect(doc.errors.map((e) => e.code), text).toEqual([]);
  expect(fast.value, text).toEqual(doc.toJS());
  const slow = yamlLocator(doc, lineCounter);
  const quick = fastLocator(fast.root);
  for (const { path, isKey } of nodePaths(fast.value, [])) {
    expect(quick.locate(path, isKey), `${text}\n@ ${JSON.stringify(path)} key=${isKey}`).toEqual(slow.locate(path, isKey));
  }
  return "fast";
}

/** nodePaths lists every node's path (and every map key's), skipping null values (`yaml` places them inconsistently). */
function* nodePaths(value: unknown, path: YamlPath): Generator<{ path: YamlPath; isKey: boolean }> {
  if (value === null) return;
  yield { path, isKey: false };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* nodePaths(value[i], [...path, i]);
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as object)) {
      yield { path: [...path, k], isKey: true };
      yield* nodePaths(v, [...path, k]);
    }
  }
}

const anyScalar = fc.oneof(
  fc.constantFrom("developer", "account-admin", "logs:read", "bob@acme.io", "25%", "2099-01-31", "1", "-3", "007", "true", "False", "null", "~", "yes", "1.5", "0x1F", ".inf", "a b", "a#b", "http://x", "x:y", "-x", ""),
  fc.stringMatching(/^[a-z@.:%-]{1,12}$/),
);
const anyKey = fc.constantFrom("email", "role", "permissions", "version", "workspace", "members", "a-b", "x.y", "k1", "1", "true", "null");

const safeScalar = fc.oneof(
  fc.constantFrom("developer", "account-admin", "logs:read", "bob@acme.io", "25%", "2099-01-31", "1", "-3", "a b", "x:y", "Ships services to production"),
  fc.stringMatching(/^[a-z][a-z@.%-]{0,11}$/),
);
const safeKey = fc.constantFrom("email", "role", "permissions", "version", "workspace", "members", "a-b", "x.y", "k1");

/** render writes a value as block YAML with random (valid) style choices. */
function renderArbitrary(scalarText: fc.Arbitrary<string> = anyScalar, keyText: fc.Arbitrary<string> = anyKey): fc.Arbitrary<string> {
  const style = fc.record({
    indent: fc.constantFrom(1, 2, 4),
    dashSpaces: fc.constantFrom(1, 2),
    seqAtKeyIndent: fc.boolean(),
    quote: fc.constantFrom("none", "double", "single"),
    flow: fc.boolean(),
    comments: fc.boolean(),
    crlf: fc.boolean(),
  });
  const doc = fc.dictionary(
    keyText,
    fc.oneof(
      scalarText,
      fc.array(scalarText, { maxLength: 4 }),
      fc.array(fc.dictionary(keyText, fc.oneof(scalarText, fc.array(scalarText, { maxLength: 3 })), { minKeys: 1, maxKeys: 3 }), { maxLength: 3 }),
      fc.dictionary(keyText, fc.oneof(scalarText, fc.array(scalarText, { maxLength: 3 })), { minKeys: 1, maxKeys: 3 }),
    ),
    { minKeys: 1, maxKeys: 5 },
  );
  return fc.tuple(doc, style).map(([d, s]) => {
    const lines: string[] = [];
    const scalar = (v: string) => (s.quote === "double" ? `"${v}"` : s.quote === "single" ? `'${v}'` : v);
    const comment = s.comments ? "  # note" : "";
    const writeList = (items: string[], indent: number) => {
      if (s.flow || items.length === 0) return ` [${items.join(", ")}]${comment}`;
      for (const i of items) lines.push(`${" ".repeat(indent)}-${" ".repeat(s.dashSpaces)}${scalar(i)}`);
      return "";
    };
    const writeMap = (m: Record<string, unknown>, indent: number, first?: string) => {
      let prefix = first;
      for (const [k, v] of Object.entries(m)) {
        const pad = prefix ?? " ".repeat(indent);
        prefix = undefined;
        if (typeof v === "string") lines.push(`${pad}${k}: ${scalar(v)}${comment}`);
        else if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
          const at = lines.push(`${pad}${k}:`) - 1;
          lines[at] += writeList(v as string[], s.seqAtKeyIndent ? indent : indent + s.indent);
        } else if (Array.isArray(v)) {
          lines.push(`${pad}${k}:`);
          const seqIndent = s.seqAtKeyIndent ? indent : indent + s.indent;
          for (const item of v as Record<string, unknown>[]) writeMap(item, seqIndent + 1 + s.dashSpaces, `${" ".repeat(seqIndent)}-${" ".repeat(s.dashSpaces)}`);
        } else {
          lines.push(`${pad}${k}:`);
          writeMap(v as Record<string, unknown>, indent + s.indent);
        }
        if (s.comments) lines.push(`${" ".repeat(indent)}# between`);
      }
    };
    writeMap(d, 0);
    return lines.join(s.crlf ? "\r\n" : "\n") + "\n";
  });
}

describe("fast YAML subset parser", () => {
  it("agrees with yaml on generated documents", () => {
    fc.assert(
      fc.property(renderArbitrary(), (text) => {
        assertAgrees(text);
      }),
      { numRuns: 400, seed: 20261127 },
    );
  });

  it("reads every plain document of the common shapes itself (it does not decline them)", () => {
    fc.assert(
      fc.property(renderArbitrary(safeScalar, safeKey), (text) => {
        expect(assertAgrees(text), text).toBe("fast");
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("agrees with yaml (or declines) on mutated documents", () => {
    const mutation = fc.tuple(fc.nat(), fc.constantFrom("", " ", "  ", "-", ":", "# ", "[", "]", "'", '"', ",", "\n", "&a ", "*a", "!t ", "|", "---\n", "\t", "? "));
    fc.assert(
      fc.property(renderArbitrary(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, edits) => {
        let t = text;
        for (const [at, insert] of edits) {
          const i = at % (t.length + 1);
          t = insert === "" ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + insert + t.slice(i);
        }
        assertAgrees(t);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });

  it.each([
    ["anchors", "a: &x 1\nb: *x\n"],
    ["block scalar", "a: |\n  text\n"],
    ["duplicate key", "a: 1\na: 2\n"],
    ["escapes", 'a: "x\\ny"\n'],
    ["float", "a: 1.5\n"],
    ["multi-line plain", "a: one\n  two\n"],
    ["tab", "a:\t1\n"],
    ["top-level list", "- a\n"],
    ["document marker", "---\na: 1\n"],
  ])("declines %s", (_name, text) => {
    expect("value" in fastParseYaml(text)).toBe(false);
  });

  it("reads the usual access.yaml shapes", () => {
    const text = "version: 1\nmembers:\n  - email: a@acme.io  # lead\n    role: developer\n    permissions: [logs:read, config:read]\n";
    expect(assertAgrees(text)).toBe("fast");
  });
});
