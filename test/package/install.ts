import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The npm package as a user gets it: `npm pack` of this checkout, unpacked into a
 * temporary project's node_modules, its dependencies linked to this checkout's installed
 * node_modules (a fresh install would need the network and a native build toolchain; the
 * links keep it fast and offline), its bin linked as npm links it.
 */

export const ROOT = join(import.meta.dirname, "..", "..");

/** RunResult is a finished child process. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** run executes `file args` in `cwd` and resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** userEnv is the environment of a user's shell outside CI: no CI, no target, no colour. */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false" };
  for (const key of Object.keys(env)) {
    if (key === "CI" || key.startsWith("ANTRYK_") || key === "FORCE_COLOR" || key === "GITHUB_ACTIONS") delete env[key];
  }
  return env;
}

/** PackedFile is one entry of `npm pack --json`'s file list. */
export interface PackedFile {
  path: string;
  size: number;
}

/** Packed is the tarball `npm pack` wrote and what it holds. */
export interface Packed {
  tarball: string;
  files: PackedFile[];
  size: number;
  unpackedSize: number;
}

/** pack runs `npm pack` on the built checkout (scripts off: npm test has built dist/) into `dir`. */
export async function pack(dir: string): Promise<Packed> {
  const result = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT, userEnv());
  if (result.code !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  const [info] = JSON.parse(result.stdout) as { filename: string; files: PackedFile[]; size: number; unpackedSize: number }[];
  if (info === undefined) throw new Error(`npm pack printed no tarball: ${result.stdout}`);
  return { tarball: join(dir, info.filename), files: info.files, size: info.size, unpackedSize: info.unpackedSize };
}

/** NativeModule is how a project's better-sqlite3 is installed: working, absent, never built, or with a broken addon. */
export type NativeModule = "linked" | "absent" | "unbuilt" | "corrupt";

/**
 * installInto makes `project` a project with the tarball installed: node_modules/antryk-access
 * unpacked from it, node_modules/.bin/ linked to its bins, and every dependency
 * (and the optional @pulumi/pulumi peer) linked to this checkout's copy, except
 * better-sqlite3, installed as `native` says. Returns the CLI bin's path.
 */
export async function installInto(project: string, tarball: string, native: NativeModule = "linked"): Promise<string> {
  const modules = join(project, "node_modules");
  const pkgDir = join(modules, "antryk-access");
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
  const untar = await run("tar", ["-xzf", tarball, "-C", pkgDir, "--strip-components=1"], project, userEnv());
  if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);

  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
    bin: Record<string, string>;
    dependencies: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies ?? {})]) {
    if (name === "better-sqlite3") continue;
    link(join(ROOT, "node_modules", name), join(modules, name));
  }
  installNative(modules, native);

  // Every bin, as npm links them (antryk-access, and the native Pulumi plugin pulumi-resource-antryk).
  for (const [binName, binTarget] of Object.entries(manifest.bin)) link(join("..", "antryk-access", binTarget), join(modules, ".bin", binName));
  return join(modules, ".bin", "antryk-access");
}

function installNative(modules: string, native: NativeModule): void {
  const source = join(ROOT, "node_modules", "better-sqlite3");
  const target = join(modules, "better-sqlite3");
  switch (native) {
    case "linked":
      link(source, target);
      return;
    case "absent":
      return;
    case "unbuilt":
    case "corrupt":
      // A real copy of the JavaScript side; its addon missing, or a file that is no shared object.
      cpSync(join(source, "package.json"), join(target, "package.json"));
      cpSync(join(source, "lib"), join(target, "lib"), { recursive: true });
      link(join(ROOT, "node_modules", "bindings"), join(modules, "bindings"));
      if (native === "corrupt") {
        mkdirSync(join(target, "build", "Release"), { recursive: true });
        writeFileSync(join(target, "build", "Release", "better_sqlite3.node"), "not a shared object\n");
      }
      return;
  }
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) symlinkSync(target, path);
}
