import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { MAX_MANAGER_LENGTH, pulumiManager } from "../schema/manager.js";

/**
 * The manager id of a provider resource, from the engine's context: the program's project
 * and stack and the resource's URN (`pulumi:<project>/<stack>/<urn>`), computed in the
 * program (the dynamic-provider host is never told the URN) and passed as the hidden input
 * `manager`. An id longer than the API allows keeps its start and ends in a digest of the whole.
 */

/** resourceManager is the Output manager id of the resource `name` of `type` under `parent`. */
export function resourceManager(runtime: typeof pulumi, name: string, type: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Output<string> {
  const project = runtime.getProject();
  const stack = runtime.getStack();
  return runtime.createUrn(name, `pulumi-nodejs:dynamic/antryk:${type}`, opts?.parent, project, stack).apply((urn) => fitManager(pulumiManager(project, stack, urn)));
}

/** fitManager shortens a manager id past MAX_MANAGER_LENGTH to its start plus `#` and 16 hex digits of its SHA-256: still unique, still readable. */
export function fitManager(id: string): string {
  if (id.length <= MAX_MANAGER_LENGTH) return id;
  const digest = createHash("sha256").update(id).digest("hex").slice(0, 16);
  return `${id.slice(0, MAX_MANAGER_LENGTH - 17)}#${digest}`;
}
