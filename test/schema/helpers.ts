import { parseAccessText, type LoadResult } from "../../schema/load.js";

/** NOW is the injected clock of the schema tests (the session's "today"). */
export const NOW = new Date("2026-11-27T12:00:00Z");

/** HEAD is a valid file's first lines: version, workspace and an owner (who counts as an admin). */
export const HEAD = "version: 1\nworkspace: acme-prod\nowner: founder@acme.io\n";

/** check validates text as access.yaml at NOW. */
export function check(text: string, now = NOW): LoadResult {
  return parseAccessText(text, "access.yaml", { now });
}

/** brief is "line:column severity code" for each diagnostic, the shape the tables compare. */
export function brief(result: LoadResult): string[] {
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
}
