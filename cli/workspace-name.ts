import { ConfigError } from "../errors.js";
import { EMBEDDED_DIR, embeddedWorkspaces } from "./embedded.js";
import type { TargetSpec } from "./target.js";

/**
 * resolveExportWorkspace names the workspace `export` reads when no file names it:
 * `--workspace`, else $ANTRYK_WORKSPACE, else (embedded target only) the one workspace
 * `.antryk/` holds. Anything else is a ConfigError asking for --workspace.
 */
export async function resolveExportWorkspace(
  flag: string | undefined,
  target: TargetSpec,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<string> {
  const named = flag?.trim() || env.ANTRYK_WORKSPACE?.trim();
  if (named) return named;
  if (target.kind === "remote") {
    throw new ConfigError("name the workspace to export: --workspace NAME (or set ANTRYK_WORKSPACE)");
  }
  const local = await embeddedWorkspaces(cwd);
  if (local.length === 1) return local[0]!;
  throw new ConfigError(
    local.length === 0
      ? `no embedded local workspace in ${EMBEDDED_DIR}/ yet: run plan or apply first, or name one with --workspace NAME`
      : `${EMBEDDED_DIR}/ holds several workspaces (${local.join(", ")}): name one with --workspace NAME`,
  );
}
