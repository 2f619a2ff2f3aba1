import fc from "fast-check";
import { LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { fastParseYaml } from "../../schema/source/fast-yaml.js";
import { MAX_FAST_DEPTH, MAX_KEY_LENGTH, type DeclineReason } from "../../schema/source/fast-yaml-decline.js";
import { fastLocator, yamlLocator, type YamlPath } from "../../schema/source/locator.js";
import { MAX_GENERAL_YAML_BYTES, parseYamlText } from "../../schema/source/parse-text.js";

/**
 * The fast parser's contract (schema/source/fast-yaml.ts): for any text it either declines,
 * or returns exactly what `yaml` returns — same value, same key order, no `yaml` error, same
 * position for every node (nulls included). A decline names the line where the text left the
 * subset and why, at most one line after the line of `yaml`'s first error. Checked on generated access-like documents
 * in many styles, on random mutations of them, and on non-plain constructs injected at a known line.
 */

type Outcome = { kind: "fast" } | { kind: "declined"; line: number; reason: DeclineReason };

function assertAgrees(text: string): Outcome {
  const fast = fastParseYaml(text);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, version: "1.2" });
  if (!("value" in fast)) {
    const lines = text.split(/\r?\n|\r/).length;
    expect(fast.declinedAtLine, text).toBeGreaterThanOrEqual(1);
    expect(fast.declinedAtLine, text).toBeLessThanOrEqual(lines);
    const firstError = Math.min(...doc.errors.map((e) => lineCounter.linePos(e.pos[0]).line));
    // `yaml` reports some errors on the entry before the line that causes them (a tag or a deeper line after "key:").
    expect(fast.declinedAtLine, `${text}\ndeclined (${fast.reason}) after yaml's first error`).toBeLessThanOrEqual(firstError + 1);
    return { kind: "declined", line: fast.declinedAtLine, reason: fast.reason };
  }
  expect(doc.errors.map((e) => e.code), text).toEqual([]);
  const slowValue: unknown = doc.toJS();
  expect(fast.value, text).toEqual(slowValue);
  expect(JSON.stringify(fast.value), `${text}\n(key order)`).toBe(JSON.stringify(slowValue));
  const slow = yamlLocator(doc, lineCounter);
  const quick = fastLocator(fast.root);
  for (const { path, isKey } of nodePaths(fast.value, [])) {
    expect(quick.locate(path, isKey), `${text}\n@ ${JSON.stringify(path)} key=${isKey}`).toEqual(slow.locate(path, isKey));
  }
  return { kind: "fast" };
}

/** nodePaths lists every node's path (nulls included) and every map key's. */
function* nodePaths(value: unknown, path: YamlPath): Generator<{ path: YamlPath; isKey: boolean }> {
  yield { path, isKey: false };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* nodePaths(value[i], [...path, i]);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as object)) {
      yield { path: [...path, k], isKey: true };
      yield* nodePaths(v, [...path, k]);
    }
  }
}

const NBSP = "\u00a0";

/** Scalars mostly inside the subset (so most documents take the fast path), some outside it. */
const anyScalar = fc.oneof(
  { weight: 40, arbitrary: fc.stringMatching(/^[a-z](?:[a-z0-9@.:%-]{0,13}[a-z0-9%])?$/) },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Z][A-Za-z0-9 ]{0,10}[A-Za-z0-9]$/) },
  { weight: 3, arbitrary: fc.stringMatching(/^[0-9]{1,6}$/) },
  { weight: 3, arbitrary: fc.constantFrom("café", "Zoë Müller", "日本語", "naïve-user@exämple.io", "🙂 ok", "Ünïcödé", "ñ") },
  { weight: 3, arbitrary: fc.constantFrom(`developer${NBSP}`, `a${NBSP}b`, `x${NBSP}${NBSP}`, `role\u3000`, `end\u2003`, `${NBSP}lead`) },
  { weight: 4, arbitrary: fc.constantFrom("developer", "account-admin", "logs:read", "bob@acme.io", "25%", "2099-01-31", "-3", "007", "true", "False", "null", "~", "yes", "a b", "a#b", "http://x", "x:y", "-x", "Ships services to production") },
  { weight: 1, arbitrary: fc.constantFrom("1.5", "0x1F", ".inf", "", "a: b", "*x", "&y z", "!t", "|", "@at", "'q", "[x") },
);

/** Keys: identifiers with capitals, digits and punctuation, some near `yaml`'s 1,024-character limit, a few outside the subset. */
const anyKey = fc.oneof(
  { weight: 40, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.@+-]{0,12}$/) },
  { weight: 20, arbitrary: fc.constantFrom("email", "role", "permissions", "version", "workspace", "members", "a-b", "x.y", "k1", "K2") },
  { weight: 1, arbitrary: fc.integer({ min: 1018, max: 1026 }).map((n) => `k${"y".repeat(n - 1)}`) },
  { weight: 1, arbitrary: fc.constantFrom("1", "true", "null", "clé", "007") },
);

type Tree = string | string[] | { [key: string]: Tree } | { [key: string]: Tree }[];

/** A tree of maps, lists and lists of maps, `depth` levels deep at most. */
function treeArbitrary(scalar: fc.Arbitrary<string>, key: fc.Arbitrary<string>): fc.Arbitrary<Record<string, Tree>> {
  const { map } = fc.letrec<{ map: Record<string, Tree>; value: Tree }>((tie) => ({
    map: fc.dictionary(key, tie("value"), { minKeys: 1, maxKeys: 4, depthIdentifier: "tree" }),
    value: fc.oneof(
      { depthSize: "small", depthIdentifier: "tree", withCrossShrink: true },
      { weight: 5, arbitrary: scalar },
      { weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(tie("map"), { minLength: 1, maxLength: 3, depthIdentifier: "tree" }) },
      { weight: 2, arbitrary: tie("map") },
    ),
  }));
  return map as fc.Arbitrary<Record<string, Tree>>;
}

const styleArbitrary = fc.record({
  indent: fc.constantFrom(1, 2, 3, 4),
  dashSpaces: fc.constantFrom(1, 2),
  seqAtKeyIndent: fc.boolean(),
  quote: fc.constantFrom("none", "none", "none", "double", "single"),
  flow: fc.boolean(),
  comments: fc.boolean(),
  trailingSpaces: fc.boolean(),
  tabs: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  crlf: fc.boolean(),
  blankLines: fc.boolean(),
});
type Style = typeof styleArbitrary extends fc.Arbitrary<infer S> ? S : never;

/** render writes a tree as block YAML in one style (quoting, flow lists, comments, trailing spaces, tabs in comments, CRLF). */
function render(tree: Record<string, Tree>, s: Style): string {
  const lines: string[] = [];
  const scalar = (v: string) => (s.quote === "double" ? `"${v}"` : s.quote === "single" ? `'${v}'` : v);
  const trail = s.trailingSpaces ? "  " : "";
  const comment = s.comments ? (s.tabs ? " \t# note\twith tab" : "  # note") : "";
  const writeList = (items: string[], indent: number) => {
    if (s.flow || items.length === 0) return ` [${items.join(", ")}]${comment}${trail}`;
    for (const i of items) lines.push(`${" ".repeat(indent)}-${" ".repeat(s.dashSpaces)}${scalar(i)}${trail}`);
    return trail;
  };
  const writeMap = (m: Record<string, Tree>, indent: number, first?: string) => {
    let prefix = first;
    for (const [k, v] of Object.entries(m)) {
      const pad = prefix ?? " ".repeat(indent);
      prefix = undefined;
      if (typeof v === "string") lines.push(`${pad}${k}: ${scalar(v)}${comment}${trail}`);
      else if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
        const at = lines.push(`${pad}${k}:`) - 1;
        lines[at] += writeList(v as string[], s.seqAtKeyIndent ? indent : indent + s.indent);
      } else if (Array.isArray(v)) {
        lines.push(`${pad}${k}:${trail}`);
        const seqIndent = s.seqAtKeyIndent ? indent : indent + s.indent;
        for (const item of v as Record<string, Tree>[]) writeMap(item, seqIndent + 1 + s.dashSpaces, `${" ".repeat(seqIndent)}-${" ".repeat(s.dashSpaces)}`);
      } else {
        lines.push(`${pad}${k}:${trail}`);
        writeMap(v as Record<string, Tree>, indent + s.indent);
      }
      if (s.comments) lines.push(`${" ".repeat(indent)}# between${s.tabs ? "\there" : ""}`);
      if (s.blankLines) lines.push(trail);
    }
  };
  writeMap(tree, 0);
  return lines.join(s.crlf ? "\r\n" : "\n") + "\n";
}

const documents = (scalar = anyScalar, key = anyKey, tabs = true) =>
  fc.tuple(treeArbitrary(scalar, key), styleArbitrary).map(([tree, style]) => render(tree, { ...style, tabs: tabs && style.tabs }));

/**
 * nested writes `levels` collections nested in each other: maps one space deeper each, or
 * (viaLists) a map, then "- k:" lines that each open a list and the map inside it.
 */
function nested(levels: number, viaLists: boolean): string {
  const lines: string[] = [];
  if (!viaLists) {
    for (let level = 1; level < levels; level++) lines.push(`${" ".repeat(level - 1)}k${level}:`);
    lines.push(`${" ".repeat(levels - 1)}leaf: x`);
  } else {
    lines.push("k0:");
    let level = 1;
    for (; levels - level >= 2; level += 2) lines.push(`${" ".repeat(level - 1)}- k${level}:`);
    if (levels - level === 1) lines.push(`${" ".repeat(level - 1)}- x`);
  }
  return lines.join("\n") + "\n";
}

/** The line on which nested(…) opens collection number `level`. */
const lineOfLevel = (level: number, viaLists: boolean) => (viaLists ? Math.floor(level / 2) + 1 : level);

/** SEED: set FAST_YAML_SEED to replay the random-seed run; otherwise it varies per run and is printed on failure. */
const SEED = Number(process.env.FAST_YAML_SEED ?? Date.now() % 2 ** 31);

/** runShare checks every document of a run and returns the share that took the fast path. */
function runShare(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number): number {
  let fast = 0;
  let total = 0;
  fc.assert(
    fc.property(arbitrary, (text) => {
      total++;
      if (assertAgrees(text).kind === "fast") fast++;
    }),
    { numRuns, seed },
  );
  return fast / total;
}

function mutate(text: string, edits: [number, string][]): string {
  let t = text;
  for (const [at, insert] of edits) {
    const i = at % (t.length + 1);
    t = insert === "" ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + insert + t.slice(i);
  }
  return t;
}
const mutation = fc.tuple(fc.nat(), fc.constantFrom("", " ", "  ", "-", ":", "# ", "[", "]", "'", '"', ",", "\n", "&a ", "*a", "!t ", "|", "---\n", "\t", "? ", NBSP, "é", "x"));

describe("fast YAML subset parser", () => {
  it("agrees with yaml on generated documents, and reads most of them itself", () => {
    const share = runShare(documents(), 500, 20261127);
    expect(share, `fast-path share ${share}`).toBeGreaterThanOrEqual(0.6);
  });

  it("agrees with yaml on documents from a random seed (printed on failure; FAST_YAML_SEED=<seed> replays it)", () => {
    let share = 0;
    try {
      share = runShare(documents(), 300, SEED);
    } catch (err) {
      throw new Error(`FAST_YAML_SEED=${SEED}: ${(err as Error).message}`, { cause: err });
    }
    expect(share, `FAST_YAML_SEED=${SEED}: fast-path share ${share}`).toBeGreaterThanOrEqual(0.5);
  });

  it("agrees with yaml (or declines at most a line after yaml's first error) on mutated documents", () => {
    const mutated = fc.tuple(documents(), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([text, edits]) => mutate(text, edits));
    const share = runShare(mutated, 1500, 7);
    expect(share, `fast-path share of mutated documents ${share}`).toBeGreaterThanOrEqual(0.15);
  });

  const injected: [name: string, line: (firstKey: string) => string, reason: DeclineReason][] = [
    ["a tab", () => "zz-injected:\tx", "tab"],
    ["a document marker", () => "---", "document-marker"],
    ["a directive", () => "%YAML 1.2", "document-marker"],
    ["an anchor", () => "zz-injected: &a x", "scalar"],
    ["a tag", () => "zz-injected: !t x", "scalar"],
    ["a block scalar", () => "zz-injected: |", "scalar"],
    ["a float", () => "zz-injected: 1.5", "scalar"],
    ["an escape", () => 'zz-injected: "a\\tb"', "quoted"],
    ["a nested flow list", () => "zz-injected: [a, [b]]", "flow"],
    ["a flow map", () => "zz-injected: {a: 1}", "flow"],
    ["a duplicate key", (k) => `${k}: again`, "duplicate-key"],
    ["a number as key", () => "12: x", "key-not-string"],
    ["a key over 1,024 characters", () => `${"k".repeat(MAX_KEY_LENGTH + 1)}: x`, "long-key"],
    ["a complex key", () => "? x", "not-a-key"],
    ["a lone carriage return", () => "zz-injected: x\ry", "carriage-return"],
    ["a line that is not a map entry", () => "just words", "not-a-key"],
  ];

  it.each(injected)("declines %s on the line it is on, saying why", (_name, make, reason) => {
    fc.assert(
      fc.property(documents(fc.stringMatching(/^[a-z][a-z0-9@.-]{0,9}$/), fc.stringMatching(/^k[a-z0-9-]{0,8}$/), false), fc.nat(), (text, at) => {
        fc.pre("value" in fastParseYaml(text));
        const lines = text.replace(/\n$/, "").split("\n");
        const firstKey = lines[0]!.slice(0, lines[0]!.indexOf(":"));
        const k = 1 + (at % lines.length);
        lines.splice(k, 0, make(firstKey));
        const result = fastParseYaml(lines.join("\n") + "\n");
        expect("value" in result ? "fast" : result).toEqual({ declinedAtLine: k + 1, reason });
      }),
      { numRuns: 40, seed: 99 },
    );
  });

  it("takes keys up to 1,024 characters, as yaml does", () => {
    expect(assertAgrees(`${"k".repeat(MAX_KEY_LENGTH)}: x\n`)).toEqual({ kind: "fast" });
    expect(assertAgrees(`${"k".repeat(MAX_KEY_LENGTH + 1)}: x\n`)).toEqual({ kind: "declined", line: 1, reason: "long-key" });
  });

  it("keeps Unicode whitespace that yaml keeps (NBSP, ideographic space)", () => {
    const text = `role: developer${NBSP}\nlist: [a${NBSP}, ${NBSP}b]\nwide: x\u3000\n`;
    expect(assertAgrees(text)).toEqual({ kind: "fast" });
    expect(fastParseYaml(text)).toMatchObject({ value: { role: `developer${NBSP}`, list: [`a${NBSP}`, `${NBSP}b`], wide: "x\u3000" } });
  });

  it.each([
    ["a byte-order mark", "\ufeffa: 1\n", 1, "byte-order-mark"],
    ["a tab on line 3", "a: 1\nb: 2\nc:\t3\n", 3, "tab"],
    ["a document end marker on line 2", "a: 1\n...\n", 2, "document-marker"],
    ["a top-level list", "- a\n", 1, "top-level"],
    ["an empty document", "# only a comment\n", 1, "top-level"],
    ["an over-indented line (at the entry it would continue, as yaml)", "a: 1\n  b: 2\n", 1, "indentation"],
    ["a multi-line plain scalar (at its first line)", "a: one\n  two\n", 1, "indentation"],
    ["an indented top-level map", "  a: 1\n", 1, "top-level"],
    ["an empty list item", "a:\n  -\n", 2, "empty-item"],
  ] as const)("declines %s at its line", (_name, text, line, reason) => {
    expect(assertAgrees(text)).toEqual({ kind: "declined", line, reason });
  });

  it.each([
    [MAX_FAST_DEPTH, false, "fast"],
    [MAX_FAST_DEPTH, true, "fast"],
    [MAX_FAST_DEPTH + 1, false, "declined"],
    [MAX_FAST_DEPTH + 1, true, "declined"],
  ] as const)("reads %s levels of nesting (through lists: %s) itself or declines them: %s", (depth, viaLists, kind) => {
    expect(assertAgrees(nested(depth, viaLists)).kind).toBe(kind);
  });

  it.each([[6_000, false], [6_000, true]] as const)("declines %s levels of nesting (through lists: %s) instead of throwing", (depth, viaLists) => {
    expect(fastParseYaml(nested(depth, viaLists))).toEqual({ declinedAtLine: lineOfLevel(MAX_FAST_DEPTH + 1, viaLists), reason: "too-deep" });
  });

  it.each([
    ["small enough for yaml", 1_200],
    ["too big for yaml", 6_000],
  ])("deep nesting (%s) comes back from parseYamlText as a diagnostic, never a throw", (_name, depth) => {
    const text = nested(depth, false);
    expect(text.length > MAX_GENERAL_YAML_BYTES).toBe(depth > 2_000);
    const result = parseYamlText(text, "deep.yaml");
    const codes = result.ok ? ["ok"] : result.diagnostics.map((d) => d.code);
    if (depth > 2_000) {
      expect(codes).toEqual(["yaml-unsupported"]);
      expect(result).toMatchObject({ diagnostics: [{ line: lineOfLevel(MAX_FAST_DEPTH + 1, false), message: expect.stringContaining("nested more than") }] });
    } else {
      // `yaml` reads it or reports it too deep, depending on the stack it is given: both are answers, a throw is not.
      expect(["ok", "yaml-too-deep"]).toContain(codes[0]);
    }
  });

  it("reads the usual access.yaml shapes", () => {
    const text = "version: 1\nmembers:\n  - email: a@acme.io  # lead\n    role: developer\n    permissions: [logs:read, config:read]\n    expires:\n";
    expect(assertAgrees(text)).toEqual({ kind: "fast" });
  });
});
