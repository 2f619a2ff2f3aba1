import type { Review } from "./model.js";

/** renderReviewJson is the review as pretty JSON (docs/review.md, formatVersion 1), keys in the order of the Review type, a trailing newline. */
export function renderReviewJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}
