import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCommands, completionModel } from "../../cli/completion-model.js";
import { completionScript, type Shell } from "../../cli/completion-scripts.js";
import { createProgram } from "../../cli/program.js";

/**
 * `antryk-access completion <shell>`: scripts generated from the commander definitions,
 * run in the real shells (bash, zsh, fish; .ci/run installs zsh and fish, and in CI a
 * missing one fails). One table of command lines, completed by each shell.
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

/** Row: a command line (Tab at its end), the words it completes to, and words it must not offer; `some` when further words may come (a command another change adds). */
type Row = [line: string, want: string[], more?: { absent?: string[]; some?: true }];
const COMMANDS = ["apply", "ci", "completion", "export", "plan", "review", "serve", "validate"];
const ROWS: Row[] = [
  ["antryk-access ", COMMANDS],
  ["antryk-access va", ["validate"]],
  // Nested subcommands, and the flags of the command they follow (positional options: serve's --db is serve's).
  ["antryk-access serve ", ["init", "token"]],
  ["antryk-access serve i", ["init"]],
  ["antryk-access ci ", ["pr-comment"], { absent: ["init"], some: true }],
  ["antryk-access serve init --", ["--db", "--help", "--owner", "--workspace"], { absent: ["--port", "--host"] }],
  ["antryk-access serve --db x.db init --", ["--db", "--help", "--owner", "--workspace"], { absent: ["--port", "--host"] }],
  ["antryk-access serve token --", ["--db", "--email", "--help", "--workspace"], { absent: ["--owner", "--port"] }],
  ["antryk-access ci pr-comment --", ["--body", "--bot", "--help", "--pr", "--repo", "--sha", "--stale"], { absent: ["--owner", "--port"] }],
  ["antryk-access ci pr-comment --body acc", ["access.yaml"]],
  ["antryk-access serve init --db acc", ["access.yaml"]],
  // Choices, after a space or after "=".
  ["antryk-access validate --format ", ["github", "json", "text"]],
  ["antryk-access validate --format=", ["github", "json", "text"]],
  ["antryk-access plan --format m", ["markdown"]],
  ["antryk-access plan --format=m", ["markdown"]],
  ["antryk-access review --format ", ["csv", "json", "markdown"]],
  ["antryk-access apply --format=", ["json", "text"]],
  ["antryk-access plan --diagnostics ", ["github", "text"]],
  ["antryk-access apply --diagnostics=", ["github", "text"]],
  ["antryk-access completion ", ["bash", "fish", "zsh"]],
  // A flag's value is skipped when finding the command.
  ["antryk-access plan --format json --d", ["--detailed-exitcode", "--diagnostics", "--diff"]],
  ["antryk-access plan --format=json --d", ["--detailed-exitcode", "--diagnostics", "--diff"]],
  // File names for path values and a saved plan.
  ["antryk-access validate -f acc", ["access.yaml"]],
  ["antryk-access apply pl", ["plan.json"]],
  ["antryk-access export -o acc", ["access.yaml"]],
  ["antryk-access plan --out acc", ["access.yaml"]],
  ["antryk-access plan --credentials acc", ["access.yaml"]],
  ["antryk-access plan --token-file acc", ["access.yaml"]],
  // A value that is not a path completes to nothing, never to file names.
  ["antryk-access plan --api-url ", []],
  ["antryk-access plan --api-url=", []],
  ["antryk-access apply --concurrency ", []],
  ["antryk-access serve --port ", []],
  ["antryk-access export --workspace ", []],
  ["antryk-access review --workspace ", []],
  ["antryk-access serve init --workspace ", []],
  ["antryk-access review --stale-after ", []],
];

/** check compares completions with a row: exactly `want` (or at least it, for `some`), none of `absent`. */
function check(got: string[], [, want, more]: Row): void {
  if (more?.some) expect(got).toEqual(expect.arrayContaining(want));
  else expect(got).toEqual([...want].sort());
  for (const word of more?.absent ?? []) expect(got).not.toContain(word);
}

/**
 * bashWords splits a line the way readline hands it to a completion function (checked in
 * an interactive bash): words at blanks, and "=" a word of its own (it is in COMP_WORDBREAKS),
 * so `--format=j` is `--format` `=` `j` and `--format=` ends in the word "=".
 */
function bashWords(line: string): string[] {
  return line.split(" ").flatMap((w) => (w === "" ? [w] : w.split(/(=)/).filter((part) => part !== "")));
}

/** bashComplete sources a script, finds the function `complete -p` registered for `command`, and runs it on the words of `line` (the last one being completed). */
async function bashComplete(line: string, script = scripts.bash!, command = "antryk-access"): Promise<string[]> {
  const words = bashWords(line);
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
  const body = [
    `source '${script}'`,
    `spec=$(complete -p ${command}); fn=\${spec##*-F }; fn=\${fn%% *}`,
    `COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; COMP_POINT=${line.length}`,
    `"$fn" ${command} "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
  const r = await exec("bash", ["--norc", "--noprofile", "-c", body]);
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).sort();
}

/** fishComplete sources a script and asks fish's `complete -C` for each line, in one fish. */
async function fishComplete(lines: string[], script = scripts.fish!): Promise<string[][]> {
  const quoted = lines.map((l) => `'${l.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`).join(" ");
  const r = await exec(FISH!, ["--no-config", "-c", `source '${script}'; for line in ${quoted}; complete -C $line; echo '<end>'; end`]);
  expect(r.stderr).toBe("");
  const blocks = r.stdout.split("<end>\n").slice(0, lines.length);
  // fish offers `--format=json` for `--format=`: the value is what follows "=".
  return blocks.map((b) => b.split("\n").filter(Boolean).map((l) => l.split("\t")[0]!.replace(/^--?[A-Za-z-]+=/, "")).sort());
}

describe("bash", () => {
  it.each(ROWS)("%j", async (...row) => {
    check(await bashComplete(row[0]), row);
  });
});

// .ci/run installs zsh and fish: in CI a missing shell is a failure, never a silent skip.
describe.runIf(process.env.CI !== undefined && process.env.CI !== "")("the shells in CI", () => {
  it("has zsh and fish installed", () => {
    expect({ zsh: ZSH !== undefined, fish: FISH !== undefined }).toEqual({ zsh: true, fish: true });
  });
});

describe.skipIf(FISH === undefined)("fish", () => {
  let results: Map<string, string[]>;
  beforeAll(async () => {
    const got = await fishComplete(ROWS.map(([line]) => line));
    results = new Map(ROWS.map(([line], i) => [line, got[i]!]));
  });

  it.each(ROWS)("%j", (...row) => {
    check(results.get(row[0])!, row);
  });
});

/**
 * zshComplete types `line` and Tab into an interactive zsh (a pseudo-terminal from the
 * zsh/zpty module) that loads `script` from $fpath, and returns the word being completed and
 * what the screen shows after the line, once `until` appears there (zpty -r waits for the
 * pattern; the outer timeout ends a run that never shows it). A value with nothing to complete
 * shows its description, in the format "NOTHING-%d".
 */
async function zshComplete(line: string, until: string, script = scripts.zsh!, name = "antryk-access"): Promise<string> {
  const fpath = join(dir, `zfunc-${name}`);
  mkdirSync(fpath, { recursive: true });
  copyFileSync(script, join(fpath, `_${name}`));
  const formats = ["descriptions", "warnings"].map((tag) => `zstyle ':completion:*:${tag}' format 'NO''THING-%d'`).join("; ");
  const driver = [
    "zmodload zsh/zpty",
    "zpty z zsh -f -i",
    `zpty -w z "PROMPT='READY> '; fpath=(${fpath} \\$fpath); autoload -Uz compinit; compinit -u -D; zstyle ':completion:*' list-prompt ''; ${formats}; setopt nobeep"`,
    "zpty -r z out '*READY> *'",
    `zpty -w -n z $'${line}\\t'`,
    `zpty -r z out '*${line}*${until}*'`,
    'print -r -- "$out"',
    "zpty -d z",
  ].join("\n");
  const r = await exec("timeout", ["20", ZSH!, "-f", "-c", driver]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const screen = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  // A single match is inserted: the screen then shows only the rest of the word after the line.
  return currentWord(line) + screen.slice(screen.lastIndexOf(line) + line.length);
}

/** currentWord is the part of `line` after its last blank or "=": what the shell completes. */
function currentWord(line: string): string {
  return line.slice(Math.max(line.lastIndexOf(" "), line.lastIndexOf("=")) + 1);
}

/** zshUntil is what the screen shows last when `want` is listed (zsh sorts it) or inserted: its last word less the part typed. */
function zshUntil(line: string, want: readonly string[]): string {
  const last = [...want].sort().at(-1);
  return last === undefined ? "NOTHING" : last.slice(want.length === 1 ? currentWord(line).length : 0);
}

describe.skipIf(ZSH === undefined)("zsh", () => {
  it("is valid zsh and registers its function with compinit when sourced", async () => {
    expect(await exec(ZSH!, ["-n", scripts.zsh!])).toMatchObject({ code: 0, stderr: "" });
    const r = await exec(ZSH!, ["-f", "-c", `autoload -Uz compinit && compinit -u -D; source '${scripts.zsh}'; print -r -- \${_comps[antryk-access]}`]);
    expect(r).toMatchObject({ code: 0, stdout: "_antryk-access\n" });
  });

  // zsh lists matches sorted, so the screen up to the last wanted word shows every wanted word and any unwanted one sorting before it.
  it.each(ROWS)(
    "%j",
    async (...row) => {
      const [line, want, more] = row;
      const screen = await zshComplete(line, zshUntil(line, want));
      for (const word of want) expect(screen).toContain(word);
      for (const word of [...(more?.absent ?? []), ...(want.length === 0 ? ["access.yaml", "plan.json"] : [])]) expect(screen).not.toContain(word);
    },
    60_000,
  );
});

/**
 * TREE: rows read from the real command tree, so every command a change adds (and every flag
 * and choice) is checked too: the subcommands of each command, its long flags, the choices
 * of each flag after a space and after "=", file names for a path value, nothing for another.
 */
const TREE: Row[] = allCommands(completionModel(createProgram("0.0.0"))).flatMap((c) => {
  const line = ["antryk-access", ...c.path].join(" ");
  const long = c.options.flatMap((o) => o.flags).filter((f) => f.startsWith("--"));
  return [
    ...(c.commands.length > 0 ? [[`${line} `, c.commands.map((s) => s.name)] satisfies Row] : []),
    [`${line} --`, long] satisfies Row,
    ...c.options
      .filter((o) => o.takesValue)
      .flatMap((o) => {
        const flag = o.flags.at(-1)!;
        if (o.choices.length > 0) return [[`${line} ${flag} `, [...o.choices]], [`${line} ${flag}=`, [...o.choices]]] satisfies Row[];
        return [o.paths ? [`${line} ${flag} acc`, ["access.yaml"]] : [`${line} ${flag} `, []]] satisfies Row[];
      }),
  ];
});

describe("every command and flag of antryk-access", () => {
  it("reads nested commands, flags and choices from the tree", () => {
    expect(TREE).toEqual(expect.arrayContaining([["antryk-access serve init --", ["--db", "--workspace", "--owner", "--help"]], ["antryk-access plan --diagnostics=", ["text", "github"]]]));
  });

  it.each(TREE)("bash: %j", async (...row) => {
    check(await bashComplete(row[0]), row);
  });

  it.skipIf(FISH === undefined)("fish", async () => {
    const got = await fishComplete(TREE.map(([line]) => line));
    TREE.forEach((row, i) => expect({ line: row[0], got: got[i] }).toEqual({ line: row[0], got: [...row[1]].sort() }));
  });
});

describe("a command tree declared in commander", () => {
  // A program the generator has never seen: a subcommand at depth 2 with its own flags and an enum --mode.
  const program = new Command("tool").enablePositionalOptions();
  const ci = program.command("ci").description("steps").enablePositionalOptions().option("--db <file>", "a file");
  ci.command("drift")
    .description("a drift step")
    .addOption(new Option("--mode <mode>", "what to do").choices(["report", "correct"]))
    .option("--since <when>", "a time");
  const write = (shell: Shell) => {
    const script = join(dir, `tool.${shell}`);
    writeFileSync(script, completionScript(shell, completionModel(program)));
    return script;
  };
  const TOOL: Row[] = [
    ["tool ", ["ci"]],
    ["tool ci ", ["drift"]],
    ["tool ci --db x drift --", ["--help", "--mode", "--since"], { absent: ["--db"] }],
    ["tool ci drift --mode ", ["correct", "report"]],
    ["tool ci drift --mode=", ["correct", "report"]],
    ["tool ci drift --since ", []],
  ];

  it.each(TOOL)("bash: %j", async (...row) => {
    check(await bashComplete(row[0], write("bash"), "tool"), row);
  });

  it.skipIf(FISH === undefined)("fish", async () => {
    const got = await fishComplete(
      TOOL.map(([line]) => line),
      write("fish"),
    );
    TOOL.forEach((row, i) => check(got[i]!, row));
  });

  it.skipIf(ZSH === undefined).each(TOOL)(
    "zsh: %j",
    async (...row) => {
      const [line, want, more] = row;
      const screen = await zshComplete(line, zshUntil(line, want), write("zsh"), "tool");
      for (const word of want) expect(screen).toContain(word);
      for (const word of more?.absent ?? []) expect(screen).not.toContain(word);
    },
    60_000,
  );
});
