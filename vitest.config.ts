import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources; end-to-end tests spawn the built CLI
// from dist/ (npm test builds first). The JSON report feeds .ci/run's closing line.
export default defineConfig({
  // The dashboard's modules import the domain core as "@core/<path>.js" (its import map); in Node that is the sources.
  resolve: { alias: [{ find: /^@core\/(.*)\.js$/, replacement: `${fileURLToPath(new URL("./", import.meta.url))}$1.ts` }] },
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
  },
});
