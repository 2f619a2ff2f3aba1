import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, run, userEnv } from "./install.js";

/**
 * No EBADENGINE on a clean install with any supported Node.js (docs/install.md): npm's own
 * engine check over the lockfile on the Node.js running the tests (.ci/run runs this file
 * under Node 20, 22 and 24), and the lockfile's engine ranges at the floors npm can't run here.
 */
interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
  optional?: boolean;
}

const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockedPackage> };
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };

/** unmet lists the locked packages (of `which` kind) whose engines.node excludes `version`. */
function unmet(version: string, which: "production" | "all"): string[] {
  return Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && (which === "all" || p.dev !== true))
    .filter(([, p]) => !Array.isArray(p.engines) && p.engines?.node !== undefined && !semver.satisfies(version, p.engines.node))
    .map(([path, p]) => `${path.replace(/^node_modules\//, "")}@${p.version ?? "?"} needs node ${(p.engines as { node: string }).node}`);
}

/** onPath is `name` resolved (symlinks followed) in each folder of PATH. */
function onPath(name: string): string[] {
  return (process.env.PATH ?? "").split(delimiter).flatMap((folder) => {
    const candidate = join(folder, name);
    return existsSync(candidate) ? [realpathSync(candidate)] : [];
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-engines-"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  copyFileSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("engines", () => {
  it(`npm ci --engine-strict accepts the lockfile on this Node.js (${process.version})`, async () => {
    // npm's JavaScript (the one next to this node, else the one on PATH), run by this node.
    const npmCli = [join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"), ...onPath("npm")].find((p) => existsSync(p));
    if (npmCli === undefined) throw new Error("npm is not installed");
    const args = ["ci", "--dry-run", "--engine-strict", "--ignore-scripts", "--offline", "--no-audit", "--no-fund"];
    const result = await run(process.execPath, [npmCli, ...args], dir, userEnv());
    expect(result.stderr).not.toMatch(/EBADENGINE|notsup/);
    expect(result.code).toBe(0);
  });

  const floor = semver.minVersion(manifest.engines.node)!.version;
  it.each([floor, "22.0.0", "24.0.0"])("every production dependency accepts Node.js %s", (version) => {
    expect(unmet(version, "production")).toEqual([]);
  });

  // Working on antryk-access (its dev tools) needs a little more: docs/install.md says so.
  it.each(["20.19.0", "22.13.0", "24.0.0"])("every dependency, dev tools included, accepts Node.js %s", (version) => {
    expect(unmet(version, "all")).toEqual([]);
  });
});
