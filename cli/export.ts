import { InvalidArgumentError, type Command } from "commander";
import type { ExportOptions } from "./run-export.js";
import { addTargetOptions } from "./target.js";
import { collectFiles } from "./workspaces.js";
import { checkManagerId } from "../schema/manager.js";

function parseManager(value: string): string {
  const problem = checkManagerId(value.trim());
  if (problem !== undefined) throw new InvalidArgumentError(`the manager id ${problem}`);
  return value.trim();
}

/** registerExport adds `export`: the live workspace as a canonical access.yaml (stdout or -o). */
export function registerExport(program: Command): void {
  const command = program
    .command("export")
    .description("write the live workspace as a canonical access.yaml (sorted, owner set, pending invitations marked)")
    .option("--workspace <name>", "the workspace to export (default: $ANTRYK_WORKSPACE, or the only embedded one); repeat for several", collectFiles)
    .option("-o, --output <path>", "write to this file instead of stdout (several workspaces: a folder, one <workspace>.yaml each)")
    .option("--extract-library <path>", "several workspaces: move the custom roles they all define identically to this library (relative to -o) and import it")
    .option("--credentials <path>", "a YAML file mapping each workspace to its token file (several workspaces)")
    .option("--manager <id>", "the file's manager: what it writes as (default antryk-access:<workspace>); exports what nobody or this manager manages", parseManager)
    .option("--all", "also export what other managers manage (a Pulumi stack, another file), each marked with its manager in a comment");
  addTargetOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  $ antryk-access export --workspace acme-prod -o access.yaml   # start managing an existing workspace
  $ antryk-access export --workspace acme-prod | diff access.yaml -
  $ antryk-access export --workspace acme-prod --workspace acme-staging -o access/ --extract-library shared/roles.yaml

\`plan\` on an exported file against the same workspace always says "No changes".
With the embedded local workspace, the announcement goes to stderr so stdout is the file.`,
    )
    .action(async (options: ExportOptions) => {
      // Loaded on use, so other commands (validate, serve, --help) do not pay for the engine.
      const { runExport } = await import("./run-export.js");
      process.exitCode = await runExport(options);
    });
}
