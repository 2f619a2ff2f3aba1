import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench`: runs every benchmark module beside this file (each exports
 * `run(): Promise<Record<string, unknown>>`) one after the other and prints one JSON
 * document `{ node, cpus, startedAt, results: { <area>: ... } }` on stdout.
 * `npm run bench -- plan apply` runs only the named areas.
 */
interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const wanted = new Set(process.argv.slice(2));
const areas = readdirSync(here)
  .filter((f) => f.endsWith(".js") && f !== "run.js")
  .map((f) => f.slice(0, -".js".length))
  .filter((area) => wanted.size === 0 || wanted.has(area))
  .sort();

const { availableParallelism } = await import("node:os");
const results: Record<string, unknown> = {};
for (const area of areas) {
  const mod = (await import(new URL(`./${area}.js`, import.meta.url).href)) as BenchModule;
  process.stderr.write(`bench: ${area}…\n`);
  results[area] = await mod.run();
}
process.stdout.write(
  `${JSON.stringify({ node: process.version, cpus: availableParallelism(), startedAt: new Date().toISOString(), results }, null, 2)}\n`,
);
