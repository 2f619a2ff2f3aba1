/**
 * The fast YAML parser's limits and its ways of saying no: why a text left the plain subset
 * (DeclineReason, worded for people in DECLINE_REASONS) and the exception that carries it
 * out of the parser (see fast-yaml.ts for the contract).
 */

/** MAX_KEY_LENGTH is the longest implicit key `yaml` accepts (YAML 1.2 limits it to 1,024 characters). */
export const MAX_KEY_LENGTH = 1024;

/** MAX_FAST_DEPTH bounds the collections nested in each other that the fast parser reads (access files have about five). */
export const MAX_FAST_DEPTH = 64;

/** DeclineReason says why a text left the subset (DECLINE_REASONS words each for a person). */
export type DeclineReason =
  | "byte-order-mark"
  | "tab"
  | "carriage-return"
  | "document-marker"
  | "top-level"
  | "indentation"
  | "not-a-key"
  | "duplicate-key"
  | "key-not-string"
  | "long-key"
  | "too-deep"
  | "empty-item"
  | "quoted"
  | "flow"
  | "scalar";

/** DECLINE_REASONS describes each reason the way a diagnostic can end a sentence with it. */
export const DECLINE_REASONS: Readonly<Record<DeclineReason, string>> = {
  "byte-order-mark": "it starts with a byte-order mark",
  tab: "it holds a tab",
  "carriage-return": "it holds a carriage return that does not end the line",
  "document-marker": "it is a document marker or directive (---, ..., %)",
  "top-level": "the document is not a map of keys starting at column 1",
  indentation: "the line after it is indented deeper than its place allows (a multi-line value?)",
  "not-a-key": "it is not a simple `key: value` entry",
  "duplicate-key": "its key appears twice in the map",
  "key-not-string": "its key is not a plain string (a number, true, null, __proto__)",
  "long-key": `its key is longer than ${MAX_KEY_LENGTH} characters`,
  "too-deep": `it is nested more than ${MAX_FAST_DEPTH} levels deep`,
  "empty-item": "it is an empty or nested list item",
  quoted: "its quoted value is not one simple quoted string (escapes, or text after it)",
  flow: "its value is a flow map or nested flow list",
  scalar: "its value is not a plain string, integer, boolean or null (anchor, tag, block scalar, float, ...)",
};

/** FastDecline is the answer for a text outside the subset: the line where it left it, and why. */
export interface FastDecline {
  declinedAtLine: number;
  reason: DeclineReason;
}

/** OutOfSubset is thrown inside the fast parser to take the "not my subset" exit; it never escapes fastParseYaml. */
export class OutOfSubset extends Error {
  constructor(
    readonly reason: DeclineReason,
    readonly line?: number,
  ) {
    super(reason);
  }
}
/** bail takes the "not my subset" exit (at `line`, or at the line the parser is reading). */
export const bail = (reason: DeclineReason, line?: number): never => {
  throw new OutOfSubset(reason, line);
};
