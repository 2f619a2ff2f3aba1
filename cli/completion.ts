import { Argument, type Command } from "commander";
import { completionModel } from "./completion-model.js";
import { completionScript, SHELLS, type Shell } from "./completion-scripts.js";

/**
 * registerCompletion adds `completion <shell>`: the bash, zsh or fish completion script of
 * the whole program, generated from its commander definitions at the time it runs (so it
 * is registered last, after every other command).
 */
export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("print the shell completion script for bash, zsh or fish")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText(
      "after",
      `
Examples:
  $ source <(antryk-access completion bash)                       # this shell only
  $ antryk-access completion bash > ~/.local/share/bash-completion/completions/antryk-access
  $ antryk-access completion zsh > "\${fpath[1]}/_antryk-access"
  $ antryk-access completion fish > ~/.config/fish/completions/antryk-access.fish`,
    )
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, completionModel(program)));
    });
}
