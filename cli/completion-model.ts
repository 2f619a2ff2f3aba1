import type { Command } from "commander";

/**
 * The command line as shell completion sees it, read from commander's own model (the
 * commands, options, choices and arguments every `register*` declares), so a new command
 * or option completes without touching the completion scripts.
 */

/** CompletionOption is one flag: its spellings, whether it takes a value, the values it allows, and whether a free value is a path (`<path>`, `<file>`). */
export interface CompletionOption {
  flags: string[];
  description: string;
  takesValue: boolean;
  choices: readonly string[];
  /** paths: the value is a file name (completed from the file system); otherwise a free value completes to nothing. */
  paths: boolean;
}

/** CompletionCommand is one subcommand with its options and whether its arguments are paths or choices. */
export interface CompletionCommand {
  name: string;
  description: string;
  options: CompletionOption[];
  /** argument: what a positional word completes to; null when the command takes none. */
  argument: { choices: readonly string[] } | null;
}

/** CompletionModel is the whole program: its name, its own options, its commands. */
export interface CompletionModel {
  name: string;
  options: CompletionOption[];
  commands: CompletionCommand[];
}

/** completionModel reads `program`'s visible commands and options (help included, hidden ones left out). */
export function completionModel(program: Command): CompletionModel {
  const help = program.createHelp();
  const commands = help
    .visibleCommands(program)
    .filter((c) => c.name() !== "help")
    .map((c) => ({
      name: c.name(),
      description: oneLine(c.description()),
      options: optionsOf(c),
      argument: argumentOf(c),
    }));
  return { name: program.name(), options: optionsOf(program), commands };
}

function optionsOf(command: Command): CompletionOption[] {
  return command
    .createHelp()
    .visibleOptions(command)
    .map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => f !== undefined),
      description: oneLine(o.description),
      takesValue: o.required || o.optional,
      choices: o.argChoices ?? [],
      paths: /[<[](path|file)[>\]]/.test(o.flags),
    }));
}

function argumentOf(command: Command): { choices: readonly string[] } | null {
  const [first] = command.registeredArguments;
  if (first === undefined) return null;
  return { choices: first.argChoices ?? [] };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
