import { buildReview, readReview, renderReviewCsv, renderReviewJson, renderReviewMarkdown, type Review } from "../reconciler/review/index.js";
import type { Diagnostic } from "../schema/diagnostics.js";
import type { DesiredState } from "../schema/model.js";
import { ExitCode } from "./errors.js";
import { ignoreClosedStdout, withNewline, writeOutputFile } from "./output.js";
import { loadDesired, printWarnings } from "./planning.js";
import { withSession } from "./session.js";
import { resolveTarget, type TargetOptions } from "./target.js";
import { resolveExportWorkspace } from "./workspace-name.js";

/** ReviewOptions are `review`'s parsed options (cli/review.ts declares them). */
export interface ReviewOptions extends TargetOptions {
  file?: string;
  workspace?: string;
  format: "markdown" | "csv" | "json";
  out?: string;
  internalDomain: string[];
  staleAfter: number;
  inactiveAfter: number;
  asOf?: Date;
}

/**
 * runReview is `review`: read the live workspace and the history it needs (bounded, see
 * readReview), build the report at `--as-of` (default now) and render it on stdout or in
 * `--out` (then one line on stderr says where). Announcements go to stderr, so stdout is
 * exactly the report; so do the warnings about look-alike live addresses (also in the report).
 */
export async function runReview(options: ReviewOptions): Promise<number> {
  ignoreClosedStdout();
  const now = options.asOf ?? new Date();
  const target = await resolveTarget(options);
  let desired: DesiredState | null = null;
  let warnings: Diagnostic[] = [];
  if (options.file !== undefined) ({ desired, warnings } = await loadDesired(options.file, process.cwd(), now));
  const workspace = desired?.workspace ?? (await resolveExportWorkspace(options.workspace, target, process.env, process.cwd(), "review"));
  const review = await withSession(
    { target, workspace, announce: (line) => process.stderr.write(`${line}\n`), create: false },
    async (session): Promise<Review> => {
      printWarnings(warnings);
      const reads = await readReview(session.client, workspace);
      return buildReview({
        ...reads,
        target: session.target,
        desired,
        accessFile: options.file ?? null,
        now,
        internalDomains: options.internalDomain,
        staleAfterDays: options.staleAfter,
        inactiveAfterDays: options.inactiveAfter,
      });
    },
  );
  for (const w of review.lookAlikes ?? []) process.stderr.write(`warning ${w.code} ${w.message}\n`);
  const text = render(review, options.format);
  if (options.out !== undefined) {
    await writeOutputFile(options.out, text, "the review");
    process.stderr.write(`Wrote the access review of "${workspace}" to ${options.out}.\n`);
  } else {
    process.stdout.write(options.format === "csv" ? text : withNewline(text));
  }
  return ExitCode.ok;
}

function render(review: Review, format: ReviewOptions["format"]): string {
  switch (format) {
    case "markdown":
      return renderReviewMarkdown(review);
    case "csv":
      return renderReviewCsv(review);
    case "json":
      return renderReviewJson(review);
  }
}
