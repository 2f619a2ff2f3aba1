import type { Command } from "commander";

/**
 * The command line as shell completion sees it, read from commander's own model (the
 * commands at every depth, their options, choices and arguments every `register*` declares),
 * so a new command or option completes without touching the completion scripts.
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

/** CompletionCommand is one command at any depth: its path of names below the program, its options, its positional argument and its own subcommands. */
export interface CompletionCommand {
  name: string;
  /** path: the subcommand names from the program down to this one ([] for the program itself). */
  path: readonly string[];
  description: string;
  options: CompletionOption[];
  /** argument: what a positional word completes to (file names when it has no choices); null when the command takes none. */
  argument: { choices: readonly string[] } | null;
  commands: CompletionCommand[];
}

/** CompletionModel is the whole program: the root command, named after the program, with path []. */
export type CompletionModel = CompletionCommand;

/** completionModel reads `program` and its subcommands recursively (visible commands and options, help included, hidden ones and `help` left out). */
export function completionModel(program: Command): CompletionModel {
  return commandOf(program, []);
}

/** allCommands lists `model` and every subcommand below it, parents before children. */
export function allCommands(model: CompletionModel): CompletionCommand[] {
  return [model, ...model.commands.flatMap(allCommands)];
}

function commandOf(command: Command, path: readonly string[]): CompletionCommand {
  const commands = command
    .createHelp()
    .visibleCommands(command)
    .filter((c) => c.name() !== "help")
    .map((c) => commandOf(c, [...path, c.name()]));
  return {
    name: command.name(),
    path,
    description: oneLine(command.description()),
    options: optionsOf(command),
    argument: argumentOf(command),
    commands,
  };
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
