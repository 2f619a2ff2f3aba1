#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { describeError, ExitCode, exitCodeOf } from "./errors.js";
import { registerServe } from "./serve.js";
import { registerValidate } from "./validate.js";
import { registerPlan } from "./plan.js";
import { registerApply } from "./apply.js";
import { registerExport } from "./export.js";
import { registerReview } from "./review.js";

/**
 * The antryk-access command line: commander wiring only. Each command lives in its
 * own file and calls the engine; errors are rendered once, here.
 */
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("antryk-access")
  .description("Access as code for Antryk workspaces: validate, plan and apply access.yaml.")
  .version(pkg.version)
  .exitOverride()
  .showHelpAfterError();

registerPlan(program);
registerApply(program);
registerExport(program);
registerReview(program);
registerValidate(program);
registerServe(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
  } else {
    for (const line of describeError(err)) process.stderr.write(`${line}\n`);
    process.exitCode = exitCodeOf(err);
  }
}
