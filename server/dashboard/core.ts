import { readFile } from "node:fs/promises";
import { dirname, posix } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The dashboard's domain core: the project's own pure TypeScript modules (effective
 * permissions, the access review and its CSV, the access history's wording, the identity
 * grammar), served to the browser as ES modules under `/dashboard/core/`, so the page runs
 * the very code the engine and the server run instead of a copy (docs/dashboard.md).
 *
 * Running the built package, the modules are tsc's output in dist/; running the sources
 * (the tests), each is transpiled once from its .ts with TypeScript's transpileModule, which
 * writes what tsc writes for a module. The same import walk serves both: the page may load
 * exactly the modules CORE_ENTRIES reach, and a module that imports anything but another
 * core module or CORE_BROWSER_SHIMS's names fails the load (and the test that loads them).
 */

/** CORE_ENTRIES are the modules the dashboard imports, as paths from the package root without extension. */
export const CORE_ENTRIES: readonly string[] = [
  "schema/identity",
  "schema/catalog",
  "schema/order",
  "schema/invitation-status",
  "reconciler/permissions",
  "reconciler/review/assemble",
  "reconciler/review/csv",
  "reconciler/render/audit-words",
];

/**
 * CORE_BROWSER_SHIMS maps the Node built-ins a core module may import to the dashboard file
 * standing in for it in the browser (the page's import map points the name there): the
 * identity grammar's domainToASCII is the URL standard's host parser in both.
 */
export const CORE_BROWSER_SHIMS: Readonly<Record<string, string>> = { "node:url": "node-url.js" };

/** CoreModule is one servable module: its path under /dashboard/core/ and its JavaScript. */
export type CoreModules = ReadonlyMap<string, string>;

const loaded = new Map<string, Promise<CoreModules>>();

/** coreRoot is the folder the modules are read from (the repository root from the sources, dist/ when built) and their extension there. */
export function coreRoot(): { root: string; ext: ".ts" | ".js" } {
  const here = fileURLToPath(import.meta.url);
  return { root: dirname(dirname(dirname(here))), ext: here.endsWith(".ts") ? ".ts" : ".js" };
}

/** loadCoreModules reads (once per process) every module CORE_ENTRIES reach, keyed by `<path>.js`; it rejects on an import outside the core. */
export function loadCoreModules(): Promise<CoreModules> {
  const { root, ext } = coreRoot();
  let modules = loaded.get(root);
  if (modules === undefined) {
    modules = walk(root, ext);
    loaded.set(root, modules);
  }
  return modules;
}

async function walk(root: string, ext: ".ts" | ".js"): Promise<CoreModules> {
  const transpile = ext === ".ts" ? await transpiler() : (source: string) => source;
  const out = new Map<string, string>();
  const queue = CORE_ENTRIES.map((e) => `${e}.js`);
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (out.has(path)) continue;
    const source = await readFile(`${root}/${path.replace(/\.js$/, ext)}`, "utf8");
    const js = transpile(source, path);
    out.set(path, js);
    for (const specifier of importsOf(js)) {
      if (specifier in CORE_BROWSER_SHIMS) continue;
      if (!specifier.startsWith(".")) throw new Error(`dashboard core: ${path} imports "${specifier}", which the browser cannot load (only core modules and ${Object.keys(CORE_BROWSER_SHIMS).join(", ")})`);
      queue.push(posix.normalize(posix.join(posix.dirname(path), specifier)));
    }
  }
  return out;
}

/** importsOf lists the specifiers of a module's static imports and re-exports (tsc's output: one statement each, `from "…"`). */
export function importsOf(js: string): string[] {
  return [...js.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

async function transpiler(): Promise<(source: string, path: string) => string> {
  // Only the sources need TypeScript (a dev dependency); the built package serves tsc's output.
  const ts = (await import("typescript")).default;
  return (source, path) =>
    ts.transpileModule(source, {
      fileName: path.replace(/\.js$/, ".ts"),
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false, removeComments: false },
    }).outputText;
}
