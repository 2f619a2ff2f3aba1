import { readFileSync } from "node:fs";
import { compileErrors, dereference, validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkspace, wsPath, type Answer, type TestWorkspace } from "./harness.js";

/**
 * schema/openapi.yaml is the normative document: it must be a valid OpenAPI 3.1
 * document, document exactly the routes the server registers, and every answer the
 * server gives must match the documented status, body schema and headers.
 */

const METHODS = ["get", "put", "post", "patch", "delete"] as const;
const document = () => parseYaml(readFileSync(new URL("../../schema/openapi.yaml", import.meta.url), "utf8"));
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

let ws: TestWorkspace;
let spec: any;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

beforeAll(async () => {
  ws = await startWorkspace({ devOutbox: true });
  spec = await dereference(document());
});
afterAll(async () => {
  await ws.close();
});

/** operationOf finds the documented operation for a concrete request path. */
function operationOf(method: string, path: string): { template: string; operation: any } {
  const bare = path.split("?")[0]!;
  for (const [template, item] of Object.entries<any>(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(bare) && item[method.toLowerCase()]) return { template, operation: item[method.toLowerCase()] };
  }
  throw new Error(`undocumented ${method} ${path}`);
}

/** expectDocumented checks an answer against the document: its status is listed, its body matches, its headers are there. */
function expectDocumented(method: string, path: string, answer: Answer): void {
  const { template, operation } = operationOf(method, path);
  const response = operation.responses[String(answer.status)];
  expect(response, `${method} ${template} answered ${answer.status}, which is not documented`).toBeDefined();
  const schema = response.content?.["application/json"]?.schema;
  if (schema) {
    const check = ajv.compile(schema);
    const ok = check(answer.body);
    expect(ok, `${method} ${template} ${answer.status}: ${ajv.errorsText(check.errors)}\n${JSON.stringify(answer.body).slice(0, 500)}`).toBe(true);
  } else {
    expect(answer.body, `${method} ${template} ${answer.status} documents no body`).toBeNull();
  }
  for (const name of Object.keys(response.headers ?? {})) {
    if (name === "Idempotent-Replayed") continue;
    expect(answer.headers.get(name), `${method} ${template} ${answer.status} lacks header ${name}`).not.toBeNull();
  }
}

describe("schema/openapi.yaml", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await validate(document());
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(document().openapi).toBe("3.1.0");
  });

  it("documents exactly the routes the server registers", () => {
    const documented = Object.entries<any>(document().paths)
      .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`))
      .sort();
    const registered = ws.server.app.registeredRoutes
      .filter((r) => r.url.startsWith("/v1/"))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(registered).toEqual(documented);
  });

  it("matches every answer of a walk through every route, successes and errors", async () => {
    const calls: [string, string, Parameters<TestWorkspace["call"]>[2]?][] = [];
    const run = async (method: string, path: string, c?: Parameters<TestWorkspace["call"]>[2]) => {
      const answer = await ws.call(method, path, c);
      calls.push([method, path, c]);
      expectDocumented(method, path, answer);
      return answer;
    };
    await run("GET", wsPath());
    await run("GET", wsPath("/me"));
    await run("GET", wsPath("/permissions"));
    await run("PUT", wsPath("/roles/viewer"), { body: { description: "reads", permissions: ["logs:read"] } });
    await run("PUT", wsPath("/roles/viewer"), { body: { permissions: ["logs:read", "deployments:read"] } });
    await run("GET", wsPath("/roles"));
    const inv = await run("POST", wsPath("/invitations"), { body: { email: "a@acme.io", role: "viewer" }, headers: { "idempotency-key": "k" } });
    await run("POST", wsPath("/invitations"), { body: { email: "a@acme.io", role: "viewer" }, headers: { "idempotency-key": "k" } });
    await run("POST", wsPath("/invitations"), { body: { email: "b@acme.io", role: "viewer" }, headers: { "idempotency-key": "k" } });
    await run("POST", wsPath("/invitations"), { body: { email: "a@acme.io", role: "viewer" } });
    await run("GET", wsPath("/invitations?status=pending"));
    await run("GET", wsPath(`/invitations/${inv.body.id}`));
    await run("PATCH", wsPath(`/invitations/${inv.body.id}`), { body: { permissions: ["config:read"] } });
    await run("PATCH", wsPath(`/invitations/${inv.body.id}`), { body: { permissions: ["config:read"] }, headers: { "if-match": '"1"' } });
    await run("POST", wsPath(`/invitations/${inv.body.id}/resend`));
    await run("GET", wsPath("/dev/outbox"));
    const token = (await ws.outbox()).at(-1).token;
    const member = await run("POST", "/v1/invitations/accept", { token: null, body: { token } });
    await run("POST", "/v1/invitations/accept", { token: null, body: { token } });
    await run("POST", "/v1/invitations/accept", { token: null, body: { token: `aki_${"x".repeat(43)}` } });
    await run("POST", "/v1/invitations/accept", { token: null, body: {} });
    await run("GET", wsPath("/members?limit=1"));
    await run("GET", wsPath("/members?inactiveFor=90d"));
    await run("GET", wsPath("/members?inactiveFor=3months"));
    await run("GET", wsPath(`/members/${member.body.id}`));
    await run("PATCH", wsPath(`/members/${member.body.id}`), { body: { role: "developer" } });
    await run("PATCH", wsPath(`/members/${member.body.id}`), { body: { role: "nope" } });
    await run("PATCH", wsPath(`/members/${member.body.id}`), { rawBody: "role=x", headers: { "content-type": "text/plain" } });
    await run("DELETE", wsPath("/roles/viewer"), { headers: { "if-match": '"2"' } });
    const other = await run("POST", wsPath("/invitations"), { body: { email: "c@acme.io", role: "viewer" } });
    await run("DELETE", wsPath("/roles/viewer"));
    await run("POST", wsPath(`/invitations/${other.body.id}/revoke`));
    await run("POST", wsPath(`/invitations/${other.body.id}/revoke`));
    await run("DELETE", wsPath("/roles/viewer"));
    await run("DELETE", wsPath("/roles/viewer"));
    await run("DELETE", wsPath(`/members/${member.body.id}`));
    await run("GET", wsPath(`/members/${member.body.id}`));
    await run("GET", wsPath("/audit?limit=5"));
    await run("GET", wsPath("/events"), { token: null }); // the open stream itself: test/server/events.test.ts
    await run("GET", wsPath("/audit"), { token: null });
    await run("GET", wsPath("/audit"), { token: "ak_nope" });
    await run("GET", "/v1/workspaces/elsewhere/members");
    const operations = new Set(calls.map(([m, p]) => `${m} ${operationOf(m, p).template}`));
    const documented = Object.entries<any>(spec.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...operations].sort()).toEqual(documented.sort());
  });

  it("documents the error shape with every ApiErrorCode of schema/api.ts", () => {
    const source = readFileSync(new URL("../../schema/api.ts", import.meta.url), "utf8");
    const block = source.slice(source.indexOf("export type ApiErrorCode"), source.indexOf("export interface ApiErrorBody"));
    const codes = [...block.matchAll(/\| "([a-z_]+)"/g)].map((m) => m[1]).sort();
    expect([...document().components.schemas.ErrorCode.enum].sort()).toEqual(codes);
  });

  it("documents every ValidationReason of schema/api.ts", () => {
    const source = readFileSync(new URL("../../schema/api.ts", import.meta.url), "utf8");
    const block = source.slice(source.indexOf("export type ValidationReason"));
    const reasons = [...block.slice(0, block.indexOf(";")).matchAll(/\| "([a-z_]+)"/g)].map((m) => m[1]).sort();
    expect([...document().components.schemas.ValidationReason.enum].sort()).toEqual(reasons);
  });
});
