#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import type { DiagnosticFormat } from "./annotations.js";
import { describeCliError, ExitCode, exitCodeOf } from "./errors.js";
import { guardReading } from "./interrupt.js";
import { createProgram } from "./program.js";

/**
 * The antryk-access command line: commander wiring only. Each command lives in its
 * own file and calls the engine; errors are rendered once, here.
 */
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = createProgram(pkg.version);

// How the running command prints an invalid file's findings: validate's `--format github`,
// or plan's and apply's `--diagnostics github`; errors are rendered below, after the action.
let diagnostics: DiagnosticFormat = "text";
// apply --detailed-exitcode tells a saved plan refused as out of date (exit 4) from other errors.
let detailed = false;
program.hook("preAction", (_program, action) => {
  const options = action.opts<{ format?: string; diagnostics?: string; detailedExitcode?: boolean }>();
  if (options.format === "github" || options.diagnostics === "github") diagnostics = "github";
  if (action.name() === "apply" && options.detailedExitcode === true) detailed = true;
  // Ctrl-C while a command only reads says so and exits 130 (apply takes over when it starts changing).
  if (["plan", "apply", "export", "review"].includes(action.name())) guardReading();
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
  } else {
    for (const line of describeCliError(err, diagnostics)) process.stderr.write(`${line}\n`);
    process.exitCode = exitCodeOf(err, detailed);
  }
}
