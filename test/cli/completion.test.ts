import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionModel } from "../../cli/completion-model.js";
import { bashScript, fishScript } from "../../cli/completion-scripts.js";

/**
 * `antryk-access completion <shell>`: scripts generated from the commander definitions,
 * run in the real shells. bash is always there; zsh and fish are checked where installed.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const ZSH = ["/usr/bin/zsh", "/bin/zsh"].find(existsSync);
const FISH = ["/usr/bin/fish", "/bin/fish"].find(existsSync);
let dir: string;
const scripts: Record<string, string> = {};

function exec(file: string, args: string[], cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, NO_COLOR: "1", HOME: dir } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test builds)`);
  dir = mkdtempSync(join(tmpdir(), "antryk-completion-"));
  writeFileSync(join(dir, "access.yaml"), "version: 1\n");
  writeFileSync(join(dir, "plan.json"), "{}\n");
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await exec(process.execPath, [CLI, "completion", shell]);
    expect(r, shell).toMatchObject({ code: 0, stderr: "" });
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell]!, r.stdout);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** bashComplete runs the bash script's function on the words of a command line (the last one being completed). */
async function bashComplete(words: string[], script = scripts.bash!, fn = "_antryk_access"): Promise<string[]> {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
  const body = `source '${script}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await exec("bash", ["--norc", "-c", body]);
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("bash", () => {
  it.each<[string[], string[]]>([
    [["antryk-access", ""], ["--help", "--version", "-V", "-h", "apply", "ci", "completion", "export", "plan", "review", "serve", "validate"]],
    [["antryk-access", "va"], ["validate"]],
    [["antryk-access", "validate", "--format", ""], ["github", "json", "text"]],
    [["antryk-access", "plan", "--format", "m"], ["markdown"]],
    [["antryk-access", "plan", "--diagnostics", ""], ["github", "text"]],
    [["antryk-access", "plan", "--f"], ["--file", "--format"]],
    [["antryk-access", "validate", "-f", "acc"], ["access.yaml"]],
    [["antryk-access", "apply", "pl"], ["plan.json"]],
    [["antryk-access", "completion", ""], ["bash", "fish", "zsh"]],
    [["antryk-access", "export", "-o", "acc"], ["access.yaml"]],
    // A value that is not a path completes to nothing, never to file names.
    [["antryk-access", "plan", "--api-url", ""], []],
    [["antryk-access", "apply", "--concurrency", ""], []],
    [["antryk-access", "review", "--stale-after", ""], []],
    [["antryk-access", "plan", "--token-file", "acc"], ["access.yaml"]],
  ])("%j", async (words, expected) => {
    expect(await bashComplete(words)).toEqual(expected);
  });

  it("follows the commander definitions: a new command and option complete without touching the generator", async () => {
    const program = new Command("tool");
    program.command("audit").description("an audit").addOption(new Option("--since <when>", "from").choices(["day", "week"]));
    const script = join(dir, "tool.bash");
    writeFileSync(script, bashScript(completionModel(program)));
    expect(await bashComplete(["tool", ""], script, "_tool")).toEqual(["--help", "-h", "audit"]);
    expect(await bashComplete(["tool", "audit", "--since", ""], script, "_tool")).toEqual(["day", "week"]);
    expect(fishScript(completionModel(program))).toContain("complete -c tool -n '__fish_seen_subcommand_from audit' -l since -x -a 'day week' -d 'from'");
  });
});

// .ci/run installs zsh and fish: in CI a missing shell is a failure, never a silent skip.
describe.runIf(process.env.CI !== undefined && process.env.CI !== "")("the shells in CI", () => {
  it("has zsh and fish installed", () => {
    expect({ zsh: ZSH !== undefined, fish: FISH !== undefined }).toEqual({ zsh: true, fish: true });
  });
});

describe.skipIf(FISH === undefined)("fish", () => {
  async function fishComplete(line: string): Promise<string[]> {
    const r = await exec(FISH!, ["--no-config", "-c", `source '${scripts.fish}'; complete -C '${line}'`]);
    expect(r.stderr).toBe("");
    return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]!).sort();
  }

  it.each<[string, string[]]>([
    ["antryk-access ", ["apply", "ci", "completion", "export", "plan", "review", "serve", "validate"]],
    ["antryk-access validate --format ", ["github", "json", "text"]],
    ["antryk-access plan --f", ["--file", "--format"]],
    ["antryk-access validate -f acc", ["access.yaml"]],
    ["antryk-access completion ", ["bash", "fish", "zsh"]],
    ["antryk-access plan --api-url ", []],
    ["antryk-access serve --port ", []],
  ])("%j", async (line, expected) => {
    expect(await fishComplete(line)).toEqual(expected);
  });
});

describe.skipIf(ZSH === undefined)("zsh", () => {
  it("is valid zsh and registers its function with compinit when sourced", async () => {
    expect(await exec(ZSH!, ["-n", scripts.zsh!])).toMatchObject({ code: 0, stderr: "" });
    const r = await exec(ZSH!, ["-f", "-c", `autoload -Uz compinit && compinit -u -D; source '${scripts.zsh}'; print -r -- \${_comps[antryk-access]}`]);
    expect(r).toMatchObject({ code: 0, stdout: "_antryk-access\n" });
  });

  /**
   * zshComplete types `line` and Tab into an interactive zsh (a pseudo-terminal from the
   * zsh/zpty module) that loads the script from $fpath, and returns the screen once `last`
   * appears on it (zpty -r waits for the pattern; the outer timeout ends a run that never shows it).
   */
  async function zshComplete(line: string, last: string): Promise<string> {
    const fpath = join(dir, "zfunc");
    mkdirSync(fpath, { recursive: true });
    copyFileSync(scripts.zsh!, join(fpath, "_antryk-access"));
    const driver = [
      "zmodload zsh/zpty",
      "zpty z zsh -f -i",
      `zpty -w z "PROMPT='READY> '; fpath=(${fpath} \\$fpath); autoload -Uz compinit; compinit -u -D; zstyle ':completion:*' list-prompt ''; setopt nobeep"`,
      "zpty -r z out '*READY> *'",
      `zpty -w -n z $'${line}\\t'`,
      `zpty -r z out '*${last}*'`,
      'print -r -- "$out"',
      "zpty -d z",
    ].join("\n");
    const r = await exec("timeout", ["20", ZSH!, "-f", "-c", driver]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  }

  it.each<[string, string[]]>([
    ["antryk-access validate --format ", ["github", "json", "text"]],
    ["antryk-access completion ", ["bash", "fish", "zsh"]],
    ["antryk-access ", ["apply", "ci", "completion", "export", "plan", "review", "serve", "validate"]],
  ])("%j completes %j", async (line, expected) => {
    const screen = await zshComplete(line, expected.at(-1)!);
    const after = screen.slice(screen.lastIndexOf(line) + line.length);
    for (const word of expected) expect(after).toContain(word);
  }, 60_000);
});
