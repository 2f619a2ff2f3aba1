import { createTwoFilesPatch } from "diff";

/** YamlDiffOptions names the two sides in the diff header. */
export interface YamlDiffOptions {
  liveLabel?: string;
  desiredLabel?: string;
  context?: number;
}

/**
 * renderYamlDiff is the textual, YAML-level unified diff from the live workspace (as
 * `export` renders it) to access.yaml. It complements the plan: the plan says what
 * will happen, this shows where the files differ. Empty string when they are equal.
 */
export function renderYamlDiff(liveYaml: string, desiredYaml: string, options: YamlDiffOptions = {}): string {
  if (liveYaml === desiredYaml) return "";
  return createTwoFilesPatch(options.liveLabel ?? "live (exported)", options.desiredLabel ?? "access.yaml", liveYaml, desiredYaml, undefined, undefined, {
    context: options.context ?? 3,
  });
}
