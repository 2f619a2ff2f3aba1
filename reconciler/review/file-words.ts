import type { FileGrant } from "./model.js";

/** fileWords says where access.yaml grants access: `access.yaml:12 (group backend)`, or `not in access.yaml`. */
export function fileWords(grant: FileGrant | null | undefined): string {
  if (grant === undefined) return "";
  if (grant === null) return "not in access.yaml";
  return `${grant.file}:${grant.line}${grant.group !== undefined ? ` (group ${grant.group})` : ""}${grant.expired ? " (expired)" : ""}`;
}
