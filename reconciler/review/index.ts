/** The access review (docs/review.md): read (bounded), build (pure), render (Markdown, CSV, JSON). */
export { buildReview, daysUntil, revokeCommand, type ReviewInput } from "./build.js";
export { renderReviewCsv, REVIEW_CSV_COLUMNS } from "./csv.js";
export { renderReviewJson } from "./json.js";
export { FOLD_PEOPLE_AFTER, renderReviewMarkdown } from "./markdown.js";
export * from "./model.js";
export { readReview, REVIEW_HISTORY_PAGE_CAP, type ReviewClient, type ReviewReads } from "./read.js";
