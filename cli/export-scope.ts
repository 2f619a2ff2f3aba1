import type { ExportScope } from "../reconciler/render/access-yaml.js";
import { cliManager } from "../schema/manager.js";

/**
 * exportScope is what an export of `workspace` manages: `--manager` (default the CLI's id,
 * antryk-access:<workspace>), and with `--all` other managers' people and roles too.
 */
export function exportScope(options: { manager?: string | undefined; all?: boolean | undefined }, workspace: string): ExportScope {
  return { manager: options.manager ?? cliManager(workspace), all: options.all === true };
}
