import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PERMISSION_IDS } from "../../schema/catalog.js";

const ASSETS = join(import.meta.dirname, "../../server/dashboard/assets");

describe("the dashboard reads the permission catalog from GET /permissions", () => {
  it.each(readdirSync(ASSETS).filter((f) => f.endsWith(".js")))("%s quotes no permission id as a value of its own", (file) => {
    const text = readFileSync(join(ASSETS, file), "utf8");
    const quoted = PERMISSION_IDS.filter((id) => new RegExp(`["'\`]${id}["'\`]`).test(text));
    expect(quoted).toEqual([]);
  });
});
