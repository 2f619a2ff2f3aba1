import { describe, expect, it } from "vitest";
import { managerOfUrn } from "../../provider/manager.js";
import { MAX_MANAGER_LENGTH } from "../../schema/manager.js";

// A resource's manager id is the same whichever door serves it: the dynamic resource's URN
// (type pulumi-nodejs:dynamic/antryk:<Kind>) and the native one's (antryk:index:<Kind>) of
// the same name and parent give one id, so moving a stack between the doors keeps every marker.

describe("managerOfUrn", () => {
  it.each([
    ["a native Member", "urn:pulumi:prod::infra::antryk:index:Member::gus", "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::gus"],
    ["the dynamic Member of the same name", "urn:pulumi:prod::infra::pulumi-nodejs:dynamic/antryk:Member::gus", "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::gus"],
    ["a dynamic CustomRole under a component", "urn:pulumi:prod::infra::acme:Team$pulumi-nodejs:dynamic/antryk:CustomRole::oncall", "pulumi:infra/prod/urn:pulumi:prod::infra::acme:Team$antryk:index:CustomRole::oncall"],
    ["a native WorkspaceAccess", "urn:pulumi:dev::acme-access::antryk:index:WorkspaceAccess::acme-prod", "pulumi:acme-access/dev/urn:pulumi:dev::acme-access::antryk:index:WorkspaceAccess::acme-prod"],
    ["a name with `::`", "urn:pulumi:prod::infra::antryk:index:Member::a::b", "pulumi:infra/prod/urn:pulumi:prod::infra::antryk:index:Member::a::b"],
  ])("%s", (_name, urn, id) => {
    expect(managerOfUrn(urn)).toBe(id);
  });

  it("keeps another stack, project or name apart", () => {
    const ids = [
      "urn:pulumi:prod::infra::antryk:index:Member::gus",
      "urn:pulumi:dev::infra::antryk:index:Member::gus",
      "urn:pulumi:prod::other::antryk:index:Member::gus",
      "urn:pulumi:prod::infra::antryk:index:Member::gus2",
    ].map(managerOfUrn);
    expect(new Set(ids).size).toBe(4);
  });

  it("fits a long URN into the API's limit, still unique", () => {
    const long = (name: string) => managerOfUrn(`urn:pulumi:prod::infra::antryk:index:Member::${"x".repeat(300)}${name}`);
    expect(long("a")).toHaveLength(MAX_MANAGER_LENGTH);
    expect(long("a")).not.toBe(long("b"));
  });

  it("refuses what is not a URN", () => {
    expect(() => managerOfUrn("gus")).toThrow(/not a Pulumi URN/);
  });
});
