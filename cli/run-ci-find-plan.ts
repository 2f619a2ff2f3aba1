import { appendFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { ExitCode } from "./errors.js";
import { gitHubApi } from "./github-api.js";

/** FindPlanOptions are `ci find-plan`'s flags; the GitHub token comes from GITHUB_TOKEN only. */
export interface FindPlanOptions {
  sha: string;
  repo?: string;
}

/** planArtifactName is the name of the artifact the pull request job saves its plan in: one per head commit. */
export function planArtifactName(headSha: string): string {
  return `antryk-plan-${headSha}`;
}

interface PullRequest {
  number: number;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head?: { sha?: string };
}
interface Artifact {
  id: number;
  name: string;
  expired?: boolean;
  workflow_run?: { id?: number } | null;
}

/**
 * runFindPlan is `ci find-plan`: the pull request merged as commit `sha`, its head commit,
 * and the artifact its plan job saved (planArtifactName) with the workflow run that holds
 * it. Writes `found`, `pr`, `head-sha`, `artifact` and `run-id` to GITHUB_OUTPUT (when set)
 * and says what it found; `found=false` when the commit is no merged pull request or its
 * plan was not saved (or expired). Returns 0 either way: the apply step refuses without a plan.
 */
export async function runFindPlan(options: FindPlanOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!/^[0-9a-f]{7,40}$/i.test(options.sha)) throw new ConfigError(`--sha must be a commit SHA (got "${options.sha}")`);
  const api = gitHubApi("ci find-plan", env, options.repo);
  const pulls = (await api.call("GET", `/commits/${options.sha}/pulls`)) as PullRequest[];
  const merged = pulls.find((p) => p.merged_at && p.merge_commit_sha === options.sha) ?? pulls.find((p) => p.merged_at);
  const outputs: Record<string, string> = { found: "false", pr: "", "head-sha": "", artifact: "", "run-id": "" };
  if (merged === undefined || merged.head?.sha === undefined) {
    process.stdout.write(`${options.sha.slice(0, 7)} is not the merge of a pull request: there is no reviewed plan to apply.\n`);
  } else {
    const name = planArtifactName(merged.head.sha);
    const artifacts = await api.all<Artifact>(`/actions/artifacts?name=${encodeURIComponent(name)}`, (page) => (page as { artifacts: Artifact[] }).artifacts);
    const saved = artifacts.find((a) => a.name === name && a.expired !== true && a.workflow_run?.id !== undefined);
    Object.assign(outputs, { pr: String(merged.number), "head-sha": merged.head.sha, artifact: name });
    if (saved === undefined) {
      process.stdout.write(`#${merged.number} was merged, but no plan of its head ${merged.head.sha.slice(0, 7)} was saved (or it expired): there is no reviewed plan to apply.\n`);
    } else {
      Object.assign(outputs, { found: "true", "run-id": String(saved.workflow_run!.id) });
      process.stdout.write(`#${merged.number}: the reviewed plan of ${merged.head.sha.slice(0, 7)} is ${name} (run ${saved.workflow_run!.id}).\n`);
    }
  }
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(""));
  return ExitCode.ok;
}
