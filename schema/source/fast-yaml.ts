/**
 * fastParseYaml reads the plain subset of YAML that access files are made of (block maps
 * and sequences, plain and simple quoted scalars, one-line flow sequences, comments)
 * roughly twenty times faster than the `yaml` package, keeping each node's position.
 *
 * Contract: it returns either exactly what `yaml`'s parseDocument(text).toJS() returns
 * (YAML 1.2 core schema), keys in the same order, with the same 1-based positions for every
 * node (nulls included), for a document `yaml` accepts without error — or a decline, meaning
 * "not in my subset: use `yaml`", naming the line where the text left the subset (never a
 * line more than one after `yaml`'s first error) and why. Anything unusual (anchors, tags, block scalars,
 * escapes, duplicate keys, tabs, odd indentation, floats, multi-line scalars, keys over
 * 1,024 characters, more than MAX_FAST_DEPTH levels, syntax errors) declines; it never
 * throws. The differential test in test/schema/fast-yaml.test.ts holds it to this contract.
 */

import { bail, MAX_FAST_DEPTH, MAX_KEY_LENGTH, OutOfSubset, type DeclineReason, type FastDecline } from "./fast-yaml-decline.js";

/**
 * FastNode is the position of one node. A scalar is a packed number (see `pack`) so that a
 * 100,000-member file does not allocate an object per scalar; a map keeps its keys, their
 * lines (a block map's keys all sit at its column) and its children; a sequence its items.
 */
export type FastNode = number | FastMapNode | FastSeqNode;
export interface FastMapNode {
  pos: number;
  keys: string[];
  keyLines: number[];
  kids: FastNode[];
}
export interface FastSeqNode {
  pos: number;
  items: FastNode[];
}

const COLUMN_BITS = 2 ** 22;
/** pack stores a 1-based line and column in one number (columns up to 4 million). */
export function pack(line: number, column: number): number {
  return line * COLUMN_BITS + Math.min(column, COLUMN_BITS - 1);
}
/** unpack is pack's inverse. */
export function unpack(pos: number): { line: number; column: number } {
  return { line: Math.floor(pos / COLUMN_BITS), column: pos % COLUMN_BITS };
}
/** nodePos is the packed position of any node. */
export function nodePos(node: FastNode): number {
  return typeof node === "number" ? node : node.pos;
}

/** FastParse is a parsed document: its plain value and the position tree beside it. */
export interface FastParse {
  value: unknown;
  root: FastMapNode;
}

const PLAIN_START_FORBIDDEN = /^[?:,[\]{}#&*!|>'"%@`]/;
const NULL = /^(?:~|null|Null|NULL)$/;
const TRUE = /^(?:true|True|TRUE)$/;
const FALSE = /^(?:false|False|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OTHER_CORE = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** fastParseYaml parses `text`, or says on which line it left its subset and why (`yaml` must then do it; see the module contract). */
export function fastParseYaml(text: string): FastParse | FastDecline {
  let parser: FastParser | undefined;
  try {
    parser = new FastParser(text);
    return parser.parseDocument();
  } catch (err) {
    if (err instanceof OutOfSubset) return { declinedAtLine: err.line ?? parser?.currentLine() ?? 1, reason: err.reason };
    throw err;
  }
}

class FastParser {
  private readonly lineNo: number[] = [];
  private readonly indent: number[] = [];
  private readonly content: string[] = [];
  /** Spaces that ended a line before trimming, by content index (rare; `yaml` places an empty value after them). */
  private readonly trailing = new Map<number, number>();
  private i = 0;
  /** How many collections enclose the one being read. */
  private depth = 0;

  /**
   * The first line the subset cannot hold at all (a tab, a lone carriage return, a document
   * marker) is the last entry of the line arrays, at `stopIndex`: its indentation still ends
   * or over-indents the blocks before it, and reading it as an entry declines with `stop`.
   */
  private stop: OutOfSubset | undefined;
  private stopIndex = -1;

  constructor(input: string) {
    if (input.charCodeAt(0) === 0xfeff) bail("byte-order-mark", 1);
    let text = input;
    if (text.includes("\r")) text = text.replace(/\r\n/g, "\n");
    const tab = text.indexOf("\t");
    const cr = text.indexOf("\r");
    // One number to compare per line: two `-1 or offset` tests here made optimized code ~40x slower.
    const stopOffset = Math.min(tab === -1 ? Infinity : tab, cr === -1 ? Infinity : cr);
    const n = text.length;
    let start = 0;
    let line = 1;
    while (start <= n) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = n;
      let a = start;
      while (a < end && text.charCodeAt(a) === 32) a++;
      if (stopOffset < end) {
        this.stopAt(stopOffset === tab ? "tab" : "carriage-return", line, text.charCodeAt(a) === 35 /* # */ ? 0 : a - start);
        break;
      }
      let b = end;
      while (b > a && text.charCodeAt(b - 1) === 32) b--;
      if (b > a && text.charCodeAt(a) !== 35 /* # */) {
        if (a === start && (text.startsWith("---", a) || text.startsWith("...", a) || text.charCodeAt(a) === 37 /* % */)) {
          this.stopAt("document-marker", line, 0);
          break;
        }
        if (b < end) this.trailing.set(this.content.length, end - b);
        this.lineNo.push(line);
        this.indent.push(a - start);
        this.content.push(text.slice(a, b));
      }
      start = end + 1;
      line++;
    }
  }

  private stopAt(reason: DeclineReason, line: number, indent: number): void {
    this.stop = new OutOfSubset(reason, line);
    this.stopIndex = this.content.length;
    this.lineNo.push(line);
    this.indent.push(indent);
    this.content.push("");
  }

  /** readEntry is called before line `i` is read as an entry; the stop line declines there. */
  private readEntry(): void {
    if (this.i === this.stopIndex) throw this.stop!;
    this.at = this.lineNo[this.i]!;
  }

  /** The position node of the value the last parse* call returned (avoids a wrapper object per node). */
  private node: FastNode = 0;

  parseDocument(): FastParse {
    if (this.content.length === 0) bail("top-level", 1);
    this.readEntry();
    if (this.indent[0] !== 0) bail("top-level");
    if (this.isSeqLine(0)) bail("top-level");
    const value = this.parseMap(0);
    if (this.i !== this.content.length) this.badIndent();
    return { value, root: this.node as FastMapNode };
  }

  /** The line being read (where a decline happened). */
  private at = 1;

  currentLine(): number {
    return this.at;
  }

  /** A line indented deeper than its context allows: decline at the line before it, where the value it continues starts (where `yaml` reports it). */
  private badIndent(): never {
    this.at = this.lineNo[this.i - 1] ?? this.at;
    return bail("indentation");
  }

  /** enter counts one more enclosing collection, declining past MAX_FAST_DEPTH (the parser recurses once per level). */
  private enter(): void {
    if (++this.depth > MAX_FAST_DEPTH) {
      this.at = this.lineNo[this.i] ?? this.at;
      bail("too-deep");
    }
  }

  private isSeqLine(i: number): boolean {
    const c = this.content[i]!;
    return c === "-" || c.startsWith("- ");
  }

  private more(): boolean {
    return this.i < this.content.length;
  }

  private parseMap(indent: number): Record<string, unknown> {
    this.enter();
    const value: Record<string, unknown> = {};
    const node: FastMapNode = { pos: pack(this.lineNo[this.i]!, indent + 1), keys: [], keyLines: [], kids: [] };
    while (this.more() && this.indent[this.i] === indent && !this.isSeqLine(this.i)) {
      this.readEntry();
      const content = this.content[this.i]!;
      const keyEnd = keyLength(content);
      if (keyEnd === 0) bail("not-a-key");
      if (keyEnd > MAX_KEY_LENGTH) bail("long-key");
      const key = content.slice(0, keyEnd);
      if (Object.hasOwn(value, key)) bail("duplicate-key");
      if (!isStringKey(key)) bail("key-not-string");
      const line = this.lineNo[this.i]!;
      let restStart = keyEnd + 1;
      while (content.charCodeAt(restStart) === 32) restStart++;
      const rest = content.slice(restStart);
      const restColumn = indent + restStart + 1;
      this.i++;
      let child: unknown;
      if (rest === "" || rest.startsWith("#")) {
        if (this.more() && this.indent[this.i]! > indent) child = this.parseBlock(this.indent[this.i]!);
        else if (this.more() && this.indent[this.i] === indent && this.isSeqLine(this.i)) child = this.parseSeq(indent);
        else {
          // `yaml` places an empty value after the colon and the spaces that follow it.
          child = null;
          this.node = pack(line, restColumn + (rest === "" ? (this.trailing.get(this.i - 1) ?? 0) : 0));
        }
      } else {
        child = this.parseInline(rest, line, restColumn);
      }
      if (this.more() && this.indent[this.i]! > indent) this.badIndent();
      value[key] = child;
      node.keys.push(key);
      node.keyLines.push(line);
      node.kids.push(this.node);
    }
    this.depth--;
    this.node = node;
    return value;
  }

  private parseBlock(indent: number): unknown {
    return this.isSeqLine(this.i) ? this.parseSeq(indent) : this.parseMap(indent);
  }

  private parseSeq(indent: number): unknown[] {
    this.enter();
    const value: unknown[] = [];
    const node: FastSeqNode = { pos: pack(this.lineNo[this.i]!, indent + 1), items: [] };
    while (this.more() && this.indent[this.i] === indent && this.isSeqLine(this.i)) {
      this.readEntry();
      const c = this.content[this.i]!;
      let extra = 1;
      while (c.charCodeAt(extra + 1) === 32) extra++;
      const rest = c.slice(extra + 1);
      if (rest === "" || rest.startsWith("#") || rest === "-" || rest.startsWith("- ")) bail("empty-item");
      const itemIndent = indent + extra + 1;
      let child: unknown;
      if (keyLength(rest) > 0) {
        // A compact map ("- email: x"): re-read this line as the first entry of a map at the item's column.
        this.indent[this.i] = itemIndent;
        this.content[this.i] = rest;
        child = this.parseMap(itemIndent);
      } else {
        const line = this.lineNo[this.i]!;
        this.i++;
        child = this.parseInline(rest, line, itemIndent + 1);
      }
      if (this.more() && this.indent[this.i]! > indent) this.badIndent();
      value.push(child);
      node.items.push(this.node);
    }
    this.depth--;
    this.node = node;
    return value;
  }

  /** parseInline reads a value written on the same line as its key or dash. */
  private parseInline(text: string, line: number, column: number): unknown {
    const first = text[0];
    this.node = pack(line, column);
    if (first === '"' || first === "'") {
      const close = text.indexOf(first, 1);
      if (close === -1) bail("quoted");
      const inner = text.slice(1, close);
      if (first === '"' && inner.includes("\\")) bail("quoted");
      endOfValue(text.slice(close + 1), "quoted");
      return inner;
    }
    if (first === "[") return this.parseFlowSeq(text, line, column);
    if (first === "{") {
      if (!/^\{\}(?: +#.*)?$/.test(text)) bail("flow");
      this.node = { pos: pack(line, column), keys: [], keyLines: [], kids: [] };
      return {};
    }
    const hash = text.indexOf(" #");
    return plainScalar(trimSpaces(hash === -1 ? text : text.slice(0, hash)));
  }

  private parseFlowSeq(text: string, line: number, column: number): unknown[] {
    const close = text.indexOf("]");
    if (close === -1) bail("flow");
    endOfValue(text.slice(close + 1), "flow");
    const inner = text.slice(1, close);
    if (/[[{}"'#&*!]/.test(inner)) bail("flow");
    const value: unknown[] = [];
    const node: FastSeqNode = { pos: pack(line, column), items: [] };
    this.node = node;
    if (trimSpaces(inner) === "") return value;
    let offset = 1;
    for (const part of inner.split(",")) {
      let lead = 0;
      while (part.charCodeAt(lead) === 32) lead++;
      const item = trimSpaces(part.slice(lead));
      if (item === "") bail("flow");
      value.push(plainScalar(item, true));
      node.items.push(pack(line, column + offset + lead));
      offset += part.length + 1;
    }
    return value;
  }
}

/**
 * keyLength is the length of the simple key a map entry line starts with (`key:` then a
 * space or the end of the line), or 0 when the line does not start with one. Same
 * language as /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*:(?: |$)/, without allocating.
 */
function keyLength(line: string): number {
  let j = 0;
  const n = line.length;
  while (j < n) {
    const c = line.charCodeAt(j);
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
    if (!(word || (j > 0 && (c === 46 || c === 64 || c === 43 || c === 45)))) break;
    j++;
  }
  if (j === 0 || line.charCodeAt(j) !== 58 /* : */) return 0;
  return j + 1 === n || line.charCodeAt(j + 1) === 32 ? j : 0;
}

/** Keys already known to read as strings (most files repeat a handful of keys). */
const STRING_KEYS = new Set<string>();

/** isStringKey: the key resolves to a string (not null, a bool or a number, which `yaml` would re-stringify) and is not __proto__. */
function isStringKey(key: string): boolean {
  if (STRING_KEYS.has(key)) return true;
  if (key === "__proto__" || typeof plainScalar(key) !== "string") return false;
  if (STRING_KEYS.size < 10_000) STRING_KEYS.add(key);
  return true;
}

/** endOfValue accepts what may follow a quoted scalar or flow sequence on its line: nothing, or a comment. */
function endOfValue(after: string, reason: DeclineReason): void {
  if (after !== "" && !/^ +#/.test(after)) bail(reason);
}

/** trimSpaces drops leading and trailing spaces only: `yaml` keeps other Unicode whitespace (NBSP, U+3000) in a plain scalar. */
function trimSpaces(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && text.charCodeAt(a) === 32) a++;
  while (b > a && text.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

/** plainScalar resolves an unquoted scalar by the YAML 1.2 core schema (null, bool, int, string). */
function plainScalar(text: string, inFlow = false): unknown {
  if (PLAIN_START_FORBIDDEN.test(text) || text === "-" || text.startsWith("- ")) bail("scalar");
  if (text.includes(": ") || text.endsWith(":") || (inFlow && /:(?:\s|$)/.test(text))) bail("scalar");
  const c = text.charCodeAt(0);
  // Only ~, n/N, t/T, f/F, digits, signs and dots can start a non-string core scalar.
  if ((c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) || (c >= 65 && c <= 90 && c !== 78 && c !== 84 && c !== 70)) return text;
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (INT.test(text)) return Number(text);
  if (OTHER_CORE.test(text)) bail("scalar");
  return text;
}
