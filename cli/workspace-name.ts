import { ConfigError } from "../errors.js";
import { EMBEDDED_DIR, embeddedWorkspaces } from "./embedded.js";
import type { TargetSpec } from "./target.js";

/**
 * resolveExportWorkspace names the workspace a command reads when no file names it
 * (`export`, and `review` without `-f`; `command` names it in messages): `--workspace`,
 * else $ANTRYK_WORKSPACE, else (embedded target only) the one workspace `.antryk/` holds.
 * Anything else is a ConfigError asking for --workspace.
 */
export async function resolveExportWorkspace(
  flag: string | undefined,
  target: TargetSpec,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  command: "export" | "review" = "export",
): Promise<string> {
  const named = flag?.trim() || env.ANTRYK_WORKSPACE?.trim();
  if (named) return named;
  if (target.kind === "remote") {
    const also = command === "review" ? ", or give the access file with -f" : "";
    throw new ConfigError(`name the workspace to ${command}: --workspace NAME (or set ANTRYK_WORKSPACE)${also}`);
  }
  const local = await embeddedWorkspaces(cwd);
  if (local.length === 1) return local[0]!;
  throw new ConfigError(
    local.length === 0
      ? `no embedded local workspace in ${EMBEDDED_DIR}/ yet: run plan or apply first, or name one with --workspace NAME`
      : `${EMBEDDED_DIR}/ holds several workspaces (${local.join(", ")}): name one with --workspace NAME`,
  );
}
