import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_ENTRIES, loadCoreModules } from "../../server/dashboard/core.js";
import { dashboardAssetsDir, importMapHashes, loadDashboardAssets } from "../../server/dashboard/index.js";
import { ROOT, startWorkspace, type Workspace } from "./harness.js";

/**
 * How the reference server hands out the dashboard: `/` and `/dashboard/<file>` only,
 * with a content security policy that keeps the page to its own origin, and the files
 * found both from the sources and from the built dist/.
 */

let ws: Workspace;
beforeAll(async () => {
  ws = await startWorkspace();
});
afterAll(async () => {
  await ws?.close();
});

describe("dashboard serving", () => {
  it.each([
    ["/", "text/html"],
    ["/dashboard/app.js", "text/javascript"],
    ["/dashboard/members.js", "text/javascript"],
    ["/dashboard/app.css", "text/css"],
    ["/dashboard/favicon.svg", "image/svg+xml"],
  ])("GET %s is %s with a same-origin content security policy", async (path, type) => {
    const res = await fetch(`${ws.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain(type);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get("set-cookie")).toBeNull();
    await res.arrayBuffer();
  });

  it.each([
    ["/dashboard/nope.js"],
    ["/dashboard/..%2Fpackage.json"],
    ["/dashboard/..%2F..%2F..%2Fpackage.json"],
    ["/dashboard/index.ts"],
    ["/dashboard/"],
    ["/dashboard/core/reconciler/plan.js"],
    ["/dashboard/core/reconciler/review/build.js"],
    ["/dashboard/core/schema/identity.ts"],
    ["/dashboard/core/..%2Fpackage.json"],
    ["/dashboard/core/schema/..%2F..%2Fpackage.json"],
  ])("GET %s is a 404 in the API's error shape", async (path) => {
    const res = await fetch(`${ws.url}${path}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe("not_found");
  });

  it("the page loads only its own files, no CDN", async () => {
    const html = await (await fetch(`${ws.url}/`)).text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url, url).toMatch(/^(\/dashboard\/|#)/);
    for (const name of loadDashboardAssets().keys()) {
      if (!name.endsWith(".js")) continue;
      // Drop line comments only (a `//` at a line's start or after white space), so a URL in code still counts.
      const source = (await (await fetch(`${ws.url}/dashboard/${name}`)).text()).replace(/(^|\s)\/\/.*$/gm, "$1");
      expect(source, name).not.toMatch(/https?:\/\//);
      expect(source, name).not.toMatch(/\binnerHTML\b|\bdocument\.cookie\b|\blocalStorage\b/);
    }
  });

  it("the built dist/ finds the same files (tsc does not copy them; package.json ships them)", async () => {
    const built = join(ROOT, "dist/server/dashboard/index.js");
    expect(existsSync(built), `${built} is missing: run \`npx tsc -p .\``).toBe(true);
    const mod = (await import(pathToFileURL(built).href)) as typeof import("../../server/dashboard/index.js");
    expect(mod.dashboardAssetsDir()).toBe(dashboardAssetsDir());
    expect([...mod.loadDashboardAssets().keys()].sort()).toEqual([...loadDashboardAssets().keys()].sort());
    const pkg = (await import(pathToFileURL(join(ROOT, "package.json")).href, { with: { type: "json" } })) as { default: { files: string[] } };
    expect(pkg.default.files).toContain("server/dashboard/assets");
  });

  it("serves the domain core: every module the entries reach, as JavaScript, under the page's import map and its CSP hash", async () => {
    const modules = await loadCoreModules();
    for (const entry of CORE_ENTRIES) expect([...modules.keys()]).toContain(`${entry}.js`);
    expect([...modules.keys()]).not.toContain("reconciler/plan.js"); // the engine's plan (node:crypto) stays out
    const page = await fetch(`${ws.url}/`);
    const html = await page.text();
    const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!) as { imports: Record<string, string> };
    expect(map.imports).toEqual({ "@core/": "/dashboard/core/", "node:url": "/dashboard/node-url.js" });
    expect(page.headers.get("content-security-policy")).toContain(`script-src 'self' '${importMapHashes(html)[0]}';`);
    for (const [path, source] of modules) {
      const res = await fetch(`${ws.url}/dashboard/core/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/javascript");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      const body = await res.text();
      expect(body, path).toBe(source);
      expect(body, path).not.toMatch(/^\s*import\s+type\b|:\s*ReadonlyMap</m); // compiled, not TypeScript
    }
  });

  it("the built dist/ serves the same core modules (tsc's output), so the published package needs no TypeScript", async () => {
    const built = join(ROOT, "dist/server/dashboard/core.js");
    expect(existsSync(built), `${built} is missing: run \`npx tsc -p .\``).toBe(true);
    const mod = (await import(pathToFileURL(built).href)) as typeof import("../../server/dashboard/core.js");
    expect(mod.coreRoot()).toEqual({ root: join(ROOT, "dist"), ext: ".js" });
    const fromDist = await mod.loadCoreModules();
    expect([...fromDist.keys()].sort()).toEqual([...(await loadCoreModules()).keys()].sort());
  });
});
