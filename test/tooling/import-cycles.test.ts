import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * No import cycle among the sources, counting what import-x/no-cycle (the lint) does not
 * follow: type-only imports and import(). The cli/ cycles issue #27 still has to remove are
 * listed exactly, so a new cycle anywhere fails, and so does fixing one without updating the list.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const SKIP = new Set(["node_modules", "dist", "test", "examples", ".git"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** importCycles is every strongly connected set of two or more modules, as sorted root-relative paths. */
function importCycles(files: readonly string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const imported = ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
    const local = imported.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
    edges.set(file, local.filter((target) => existsSync(target)));
  }
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(ROOT, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe("import cycles", () => {
  it("are only the three cli/ ones left to restructure (type-only imports and import() count)", () => {
    expect(importCycles(sources(ROOT))).toEqual([
      ["cli/run-apply-set.ts", "cli/run-apply.ts"],
      ["cli/run-export-set.ts", "cli/run-export.ts"],
      ["cli/run-plan-set.ts", "cli/run-plan.ts"],
    ]);
  });
});
