import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { loadCoreModules } from "./core.js";

/**
 * The Access Management dashboard: a static single-page app (plain HTML, CSS and ES
 * modules, no framework, no CDN) that talks to the same Access API as every other
 * client, with the caller's bearer token. The server only hands out the files.
 *
 * The files live in `server/dashboard/assets/`. tsc does not copy them, so from
 * `dist/server/dashboard/` they are found at the package root's
 * `server/dashboard/assets/` (listed in package.json "files", so an installed package
 * has them too). The domain modules the page shares with the engine are served under
 * `/dashboard/core/` (core.ts); the page's import map names them `@core/…`.
 */

/** DASHBOARD_PREFIX is the URL folder every dashboard file is served under; `/` serves index.html. */
export const DASHBOARD_PREFIX = "/dashboard/";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

// The page may load only its own files and call only its own origin: a token kept in
// sessionStorage is then out of reach of anything injected from elsewhere. The one inline
// script allowed is index.html's import map, by its hash.
function securityHeaders(importMapHashes: readonly string[]): Readonly<Record<string, string>> {
  return {
    "content-security-policy":
      `default-src 'none'; script-src 'self'${importMapHashes.map((h) => ` '${h}'`).join("")}; style-src 'self'; img-src 'self'; connect-src 'self'; ` +
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
  };
}

/** importMapHashes are the CSP hashes (`sha256-…`) of the inline import maps of a page. */
export function importMapHashes(html: string): string[] {
  return [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((m) => `sha256-${createHash("sha256").update(m[1] ?? "").digest("base64")}`);
}

interface Asset {
  type: string;
  body: Buffer;
}

/** dashboardAssetsDir is the folder holding the dashboard's files, from the sources or from dist/. */
export function dashboardAssetsDir(): string {
  const candidates = [
    new URL("./assets/", import.meta.url), // running the TypeScript sources
    new URL("../../../server/dashboard/assets/", import.meta.url), // running dist/server/dashboard/index.js
  ].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => existsSync(join(dir, "index.html")));
  if (!found) throw new Error(`dashboard assets not found; looked in ${candidates.join(", ")}`);
  return found;
}

/** loadDashboardAssets reads every servable file of the folder once; only these names are ever served. */
export function loadDashboardAssets(dir: string = dashboardAssetsDir()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, { type, body: readFileSync(join(dir, name)) });
  }
  return assets;
}

/**
 * registerDashboard serves the dashboard on `app`: `GET /` is the page, `GET /dashboard/<file>`
 * its scripts and styles, `GET /dashboard/core/<path>.js` the domain modules it shares. It registers no API route and reads no data: the page calls /v1.
 */
export function registerDashboard(app: FastifyInstance): void {
  const assets = loadDashboardAssets();
  const headers = securityHeaders(importMapHashes(assets.get("index.html")?.body.toString("utf8") ?? ""));
  const notFound = (reply: FastifyReply, name: string) =>
    reply.code(404).send({ error: { code: "not_found", message: `no dashboard file named ${name}` } });
  const send = (reply: FastifyReply, name: string) => {
    const asset = assets.get(name);
    if (!asset) return notFound(reply, name);
    return reply.headers(headers).type(asset.type).send(asset.body);
  };
  app.get("/", (_req, reply) => send(reply, "index.html"));
  app.get<{ Params: { file: string } }>(`${DASHBOARD_PREFIX}:file`, (req, reply) => send(reply, req.params.file));
  // The domain core: only the modules the walk from CORE_ENTRIES reached, by their exact path.
  app.get<{ Params: { "*": string } }>(`${DASHBOARD_PREFIX}core/*`, async (req, reply) => {
    const path = req.params["*"];
    const body = (await loadCoreModules()).get(path);
    if (body === undefined) return notFound(reply, `core/${path}`);
    return reply.headers(headers).type(CONTENT_TYPES[".js"] as string).send(body);
  });
}
