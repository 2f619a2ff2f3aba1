import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Every dashboard module is type-checked (tsconfig.dashboard.json checks the files that opt in): none may opt out.
const ASSETS = join(import.meta.dirname, "../../server/dashboard/assets");

describe("the dashboard's modules are type-checked", () => {
  it.each(readdirSync(ASSETS).filter((f) => f.endsWith(".js")))("%s starts with // @ts-check", (file) => {
    expect(readFileSync(join(ASSETS, file), "utf8").split("\n", 1)[0]).toBe("// @ts-check");
  });
});
