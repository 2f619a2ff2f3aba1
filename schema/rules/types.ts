import type { Severity } from "../diagnostics.js";
import type { Draft } from "../normalize.js";
import type { Position, YamlPath } from "../source/locator.js";

/** Finding is what a rule reports: located by YAML path; load.ts turns it into a Diagnostic. */
export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  path: YamlPath;
  /** Point at the key of the last path step instead of its value. */
  atKey?: boolean;
}

/** RuleContext gives rules what they need beyond the draft: the clock and a way to name places in messages. */
export interface RuleContext {
  now: Date;
  /** where renders a path as `file:line:column`, for messages that name a second place. */
  where(path: YamlPath): string;
  locate(path: YamlPath): Position;
}

/** Rule is one named check over the draft; it returns every finding (never stops at the first). */
export type Rule = (draft: Draft, ctx: RuleContext) => Finding[];

export const error = (code: string, path: YamlPath, message: string, atKey = false): Finding => ({ severity: "error", code, message, path, atKey });
export const warning = (code: string, path: YamlPath, message: string, atKey = false): Finding => ({ severity: "warning", code, message, path, atKey });
