import { readFileSync } from "node:fs";
import { dereference } from "@readme/openapi-parser";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, WORKSPACE, type TestWorkspace } from "./harness.js";

/**
 * Query numbers are finite integers written in decimal digits: every integer query
 * parameter the OpenAPI document names, on every GET route that takes it, refuses the
 * spellings JavaScript's Number() or a lenient coercion would turn into Infinity, a hex
 * number, a fraction, -0 or 0, with a 400 naming the parameter (never a 500), as any
 * member (here a developer) and as the owner.
 */

let ws: TestWorkspace;
let devToken: string;
beforeAll(async () => {
  ws = await startWorkspace();
  devToken = (await ws.addMember("dev@acme.io", "developer")).token;
});
afterAll(async () => {
  await ws.close();
});

/** integerQueryParameters lists (path, parameter) for every GET operation's integer query parameter in schema/openapi.yaml. */
async function integerQueryParameters(): Promise<[string, string][]> {
  const spec: any = await dereference(parseYaml(readFileSync(new URL("../../schema/openapi.yaml", import.meta.url), "utf8")));
  const found: [string, string][] = [];
  for (const [template, item] of Object.entries<any>(spec.paths)) {
    const get = item.get;
    if (!get) continue;
    for (const p of [...(item.parameters ?? []), ...(get.parameters ?? [])]) {
      if (p.in === "query" && p.schema?.type === "integer") found.push([template.replace("{ws}", WORKSPACE), p.name]);
    }
  }
  return found;
}

const BAD = ["Infinity", "-Infinity", "1e309", "-1e309", "-0", "0x10", "1.5", "", "1e2", " 10", "+10", "0", "NaN", "99999999999999999999"];

describe("integer query parameters", () => {
  it("are found in the OpenAPI document (members, invitations and audit pages)", async () => {
    expect((await integerQueryParameters()).map(([path, name]) => `${path}?${name}`)).toEqual([
      "/v1/workspaces/acme/members?limit",
      "/v1/workspaces/acme/invitations?limit",
      "/v1/workspaces/acme/roles?limit",
      "/v1/workspaces/acme/audit?limit",
    ]);
  });

  it("refuse every spelling that is not a finite integer in decimal digits with 400 naming the parameter", async () => {
    const failures: string[] = [];
    for (const [path, name] of await integerQueryParameters()) {
      for (const value of BAD) {
        for (const token of [ws.ownerToken, devToken]) {
          const answer = await ws.call("GET", `${path}?${name}=${encodeURIComponent(value)}`, { token });
          if (answer.status === 403) continue; // the audit log needs access:manage before its query is read
          const ok = answer.status === 400 && answer.body.error.code === "validation_failed" && answer.body.error.details?.field === name;
          if (!ok) failures.push(`${path}?${name}=${JSON.stringify(value)} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(["1", "10", "1000", "010"])("accept %s", async (value) => {
    for (const [path, name] of await integerQueryParameters()) {
      const answer = await ws.call("GET", `${path}?${name}=${value}`);
      expect(answer.status, `${path}?${name}=${value} → ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });
});
