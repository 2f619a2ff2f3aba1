import { z } from "zod";
import { ConfigError } from "../errors.js";
import { CHANGE_KINDS, PHASES } from "../reconciler/plan.js";
import { LiveSinceSchema } from "../reconciler/plan-schema.js";

/**
 * The report `apply --format json` prints (cli/run-apply.ts writeJsonReport), read back by
 * the `ci` subcommands that tell a pull request or the drift issue what happened. One
 * runtime definition of its shape; extra fields are kept out, missing ones are refused.
 */

const entry = {
  key: z.string().min(1),
  kind: z.enum(CHANGE_KINDS),
  phase: z.enum(PHASES),
  email: z.string().optional(),
  name: z.string().optional(),
  liveSince: LiveSinceSchema.nullable().optional(),
};

/** ApplyReportSchema is the whole report: every change of the plan in one list, and the verification after. */
export const ApplyReportSchema = z.object({
  planId: z.string(),
  applied: z.array(z.object({ ...entry, note: z.string().optional() })),
  failed: z.array(z.object({ ...entry, error: z.object({ status: z.number(), code: z.string(), message: z.string() }) })),
  skipped: z.array(z.object({ ...entry, reason: z.string() })),
  notAttempted: z.array(z.object({ ...entry, reason: z.enum(["interrupted", "unreachable"]) })),
  verification: z.object({ status: z.enum(["verified", "differs", "skipped"]), reason: z.string().optional() }),
});

/** ApplyReport is a parsed `apply --format json` report. */
export type ApplyReport = z.infer<typeof ApplyReportSchema>;

/** ApplyReportEntry is one change in any list of a report. */
export type ApplyReportEntry = ApplyReport["applied"][number] & { error?: { message: string }; reason?: string };

/** parseApplyReport checks a report's text; a ConfigError names `name` and the first field at fault. */
export function parseApplyReport(text: string, name: string): ApplyReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${name} is not an apply report: not valid JSON (${(err as Error).message})`, [], { cause: err });
  }
  const parsed = ApplyReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${name} is not an apply report: ${issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
