import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveMultiTarget, tokenVariable } from "../../cli/credentials.js";
import { findFiles, loadWorkspaceFiles } from "../../cli/workspaces.js";
import { ConfigError } from "../../errors.js";

/**
 * Several workspaces, in process: the folder rule (which YAML files are workspace files or
 * libraries), two files for one workspace, and the token lookup order
 * (--credentials, ANTRYK_TOKEN_<WORKSPACE>, --token-file, ANTRYK_TOKEN).
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "antryk-workspaces-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
};

describe("the folder rule", () => {
  it("takes workspace files and libraries from a folder and its subfolders, and leaves other YAML, hidden folders and node_modules alone", async () => {
    write("prod.yaml", "version: 1\nworkspace: acme-prod\n");
    write("teams/web.yml", "# a team\nversion: 1\nworkspace: acme-web\n");
    write("shared/roles.yaml", "version: 1\nkind: library\n");
    write("shared/more/other.yaml", 'version: 1\n"kind": "library"  # more\n');
    write("creds.yaml", "acme-prod: prod.token\n");
    write(".github/workflows/access.yml", "on: push\nworkspace: not-this\n");
    write("node_modules/x/access.yaml", "version: 1\nworkspace: not-this-either\n");
    write("notes.txt", "workspace: no\n");
    write("nested.yaml", "groups:\n  workspace: not-top-level\n");
    const found = await findFiles([dir]);
    const rel = (ps: string[]) => ps.map((p) => p.slice(dir.length + 1));
    expect(rel(found.workspaces)).toEqual(["prod.yaml", "teams/web.yml"]);
    expect(rel(found.libraries)).toEqual(["shared/more/other.yaml", "shared/roles.yaml"]);
  });

  it("two files for one workspace is an error naming both", async () => {
    write("a.yaml", "version: 1\nworkspace: acme-prod\nmembers: []\n");
    write("b.yaml", "version: 1\nworkspace: acme-prod\nmembers: []\n");
    await expect(loadWorkspaceFiles(await findFiles([dir]), dir)).rejects.toThrow(/a\.yaml and .*b\.yaml both describe workspace acme-prod/);
  });
});

describe("credentials", () => {
  it.each([
    ["acme-prod", "ANTRYK_TOKEN_ACME_PROD"],
    ["Acme.Staging eu", "ANTRYK_TOKEN_ACME_STAGING_EU"],
    ["team_42", "ANTRYK_TOKEN_TEAM_42"],
  ])("%s reads %s", (workspace, variable) => expect(tokenVariable(workspace)).toBe(variable));

  const URL = "http://127.0.0.1:1";
  type Case = [name: string, env: Record<string, string>, options: { tokenFile?: string; credentials?: string }, want: Record<string, string> | RegExp];
  const cases: Case[] = [
    ["ANTRYK_TOKEN for every workspace", { ANTRYK_TOKEN: "shared" }, {}, { a: "shared", b: "shared" }],
    ["a workspace's own variable wins over ANTRYK_TOKEN", { ANTRYK_TOKEN: "shared", ANTRYK_TOKEN_B: "own-b" }, {}, { a: "shared", b: "own-b" }],
    ["--token-file wins over ANTRYK_TOKEN, not over the workspace's variable", { ANTRYK_TOKEN: "shared", ANTRYK_TOKEN_A: "own-a" }, { tokenFile: "file.token" }, { a: "own-a", b: "from-file" }],
    ["--credentials wins over everything for the workspaces it maps", { ANTRYK_TOKEN_A: "own-a", ANTRYK_TOKEN: "shared" }, { credentials: "creds.yaml" }, { a: "mapped-a", b: "shared" }],
    ["a missing token names the workspace's variable", { ANTRYK_TOKEN_A: "own-a" }, {}, /no API token for workspace b at .*: set ANTRYK_TOKEN_B \(or ANTRYK_TOKEN for every workspace\)/],
  ];
  it.each(cases)("%s", async (_name, env, options, want) => {
    write("file.token", "from-file\n");
    write("tokens/a.token", "mapped-a\n");
    write("creds.yaml", "a: tokens/a.token\n");
    const opts = {
      ...(options.tokenFile ? { tokenFile: join(dir, options.tokenFile) } : {}),
      ...(options.credentials ? { credentials: join(dir, options.credentials) } : {}),
    };
    const run = resolveMultiTarget({ apiUrl: URL, ...opts }, ["a", "b"], env);
    if (want instanceof RegExp) {
      await expect(run).rejects.toThrow(ConfigError);
      await expect(run).rejects.toThrow(want);
      return;
    }
    const target = await run;
    expect(target.kind === "remote" && Object.fromEntries(target.tokens)).toEqual(want);
  });

  it("a credentials file holding something other than paths is refused without showing it", async () => {
    write("creds.yaml", "a:\n  token: s3cr3t\n");
    const run = resolveMultiTarget({ apiUrl: URL, credentials: join(dir, "creds.yaml") }, ["a"], {});
    await expect(run).rejects.toThrow(/a must name a token file/);
    await expect(run).rejects.not.toThrow(/s3cr3t/);
  });

  it.each([
    // A mistyped workspace would leave the real one on the shared token.
    ["a misspelling of a workspace without an entry", "a: tokens/a.token\nbb: tokens/a.token\n", /creds\.yaml:2:1: "bb" is not a workspace being planned; did you mean "b"\? \(it has no entry of its own, so it would take the shared token\)/],
    ["the same workspace twice", "a: tokens/a.token\na: other.token\n", /creds\.yaml:2:1: the credentials file is not valid YAML \(Map keys must be unique\)/],
    ["broken YAML", "a: [tokens/a.token\n", /creds\.yaml:2:1: the credentials file is not valid YAML/],
    ["a list", "- tokens/a.token\n", /creds\.yaml:1:1: the credentials file must be a map/],
    ["a number for a path", "a: 12\n", /creds\.yaml:1:4: a must name a token file/],
  ])("a credentials file with %s is refused at its line and column", async (_name, text, want) => {
    write("tokens/a.token", "mapped-a\n");
    write("creds.yaml", text);
    const run = resolveMultiTarget({ apiUrl: URL, credentials: join(dir, "creds.yaml") }, ["a", "b"], { ANTRYK_TOKEN: "shared" });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(want);
  });

  it.each<[string, { credentials?: string; tokenFile?: string }, RegExp]>([
    ["--credentials", { credentials: "creds.yaml" }, /^cannot read the token file named at \S*creds\.yaml:1:1 \(ENOENT\)/],
    ["--token-file", { tokenFile: "ak_pasted_token_value" }, /^cannot read the token file --token-file names \(ENOENT\)/],
  ])("a token pasted where %s wants a path is never printed", async (_name, options, want) => {
    write("creds.yaml", "a: ak_pasted_token_value\n");
    const opts = {
      ...(options.tokenFile ? { tokenFile: join(dir, options.tokenFile) } : {}),
      ...(options.credentials ? { credentials: join(dir, options.credentials) } : {}),
    };
    const err = await resolveMultiTarget({ apiUrl: URL, ...opts }, ["a"], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(want);
    expect((err as Error).message).not.toContain("ak_pasted");
  });

  it("entries for workspaces not being planned are fine (one credentials file for every workspace)", async () => {
    write("tokens/a.token", "mapped-a\n");
    write("creds.yaml", "a: tokens/a.token\nb: tokens/a.token\nacme-other: tokens/a.token\n");
    const target = await resolveMultiTarget({ apiUrl: URL, credentials: join(dir, "creds.yaml") }, ["a"], {});
    expect(target.kind === "remote" && Object.fromEntries(target.tokens)).toEqual({ a: "mapped-a" });
  });

  it("no URL and no token is the embedded workspace, except in CI", async () => {
    expect(await resolveMultiTarget({}, ["a"], {})).toEqual({ kind: "embedded", explicit: false });
    await expect(resolveMultiTarget({}, ["a"], { CI: "true" })).rejects.toThrow(/no target in CI/);
    await expect(resolveMultiTarget({}, ["a"], { ANTRYK_TOKEN_A: "x" })).rejects.toThrow(/no API URL/);
  });
});
