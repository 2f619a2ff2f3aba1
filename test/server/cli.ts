import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI (`npx tsc -p .` first; `npm test` builds before running the suites). */
export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** RunResult is a finished CLI run. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** runCli runs the CLI to completion in `cwd`. */
export function runCli(args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** ServeProcess is a running `antryk-access serve` child. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** exited resolves with the exit code (or the signal name) once the child is gone. */
  exited: Promise<number | string | null>;
}

/** startServe spawns `antryk-access serve ...args` and resolves once it printed its `listening on` line. */
export function startServe(args: string[], cwd: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | string | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => (stderr += d));
    child.stdout!.on("data", (d) => {
      stdout += d;
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match) resolve({ child, url: match[1]!, stdout: () => stdout, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
}
