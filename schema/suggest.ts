import { distance } from "fastest-levenshtein";

/**
 * suggest returns the candidate closest to `input` when it is close enough to be what the
 * author meant (case-insensitive edit distance at most 45% of the longer string, or at
 * least 2), or undefined. Used for every "did you mean" in diagnostics.
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.trim().toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(0.45 * Math.max(needle.length, best.length)));
  return bestDistance <= limit ? best : undefined;
}

/** didYouMean is `; did you mean "x"?` for a close candidate, or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const s = suggest(input, candidates);
  return s === undefined ? "" : `; did you mean "${s}"?`;
}
