import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { MAX_MANAGER_LENGTH, pulumiManager } from "../schema/manager.js";

/**
 * The manager id of a provider resource: `pulumi:<project>/<stack>/<urn>`, where `<urn>` is
 * the resource's URN as the native provider names it (its own type `antryk:index:<Kind>`,
 * its parents as they are). Both doors compute the same id for the same resource: the
 * dynamic resource class in the program (the dynamic-provider host is never told the URN;
 * passed as the hidden input `manager`), the native plugin from the URN the engine sends
 * with every call. So moving a stack from the dynamic resources to the native ones keeps
 * every marker: no take-over. An id longer than the API allows keeps its start and ends in
 * a digest of the whole.
 */

/** resourceManager is the Output manager id of the dynamic resource `name` of `type` under `parent`: the id of the native resource of the same name and parent. */
export function resourceManager(runtime: typeof pulumi, name: string, type: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Output<string> {
  const project = runtime.getProject();
  const stack = runtime.getStack();
  return runtime.createUrn(name, `antryk:index:${type}`, opts?.parent, project, stack).apply((urn) => managerOfUrn(urn));
}

const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic\/antryk:(WorkspaceAccess|Member|CustomRole)$/;

/**
 * managerOfUrn is the manager id of the resource a URN names
 * (`urn:pulumi:<stack>::<project>::<parent types$><type>::<name>`), its own type written as
 * the native token whichever door's URN it is. Throws on a string that is not a URN.
 */
export function managerOfUrn(urn: string): string {
  const parts = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/s.exec(urn);
  if (parts === null) throw new Error(`not a Pulumi URN: ${urn}`);
  const [, stack, project, qualifiedType, name] = parts as unknown as [string, string, string, string, string];
  const types = qualifiedType.split("$");
  const own = types.pop() ?? "";
  const native = own.replace(DYNAMIC_TYPE, "antryk:index:$1");
  const canonical = `urn:pulumi:${stack}::${project}::${[...types, native].join("$")}::${name}`;
  return fitManager(pulumiManager(project, stack, canonical));
}

/** fitManager shortens a manager id past MAX_MANAGER_LENGTH to its start plus `#` and 16 hex digits of its SHA-256: still unique, still readable. */
export function fitManager(id: string): string {
  if (id.length <= MAX_MANAGER_LENGTH) return id;
  const digest = createHash("sha256").update(id).digest("hex").slice(0, 16);
  return `${id.slice(0, MAX_MANAGER_LENGTH - 17)}#${digest}`;
}
