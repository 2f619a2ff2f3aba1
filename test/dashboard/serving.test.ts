import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardAssetsDir, loadDashboardAssets } from "../../server/dashboard/index.js";
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
});
