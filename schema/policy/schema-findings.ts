import type { ErrorObject } from "ajv";

/**
 * Which JSON Schema errors under `policies` the policy rules (schema/policy/rules.ts) report
 * instead, with a better message: a string where a permission, role or group belongs
 * (unknown-permission, unknown-role with "did you mean"), a policy name off the pattern
 * (invalid-policy-name), an email the identity grammar refuses (invalid-email), a description the identity grammar refuses (invalid-description) and a duration off `90d`, a bare number included (invalid-duration). A value of the wrong
 * type stays the schema's to report.
 */

const MATCH = String.raw`\/match(?:\/not)*`;
const PERMISSION_VALUE = new RegExp(String.raw`^\/policies\/\d+(?:${MATCH}\/hasPermission|\/require\/permissionsSubsetOf\/\d+|\/deny\/permissions\/\d+|\/limit\/permission)$`);
const ROLE_VALUE = new RegExp(String.raw`^\/policies\/\d+(?:${MATCH}\/role|${MATCH}\/roleIn\/\d+|\/require\/role(?:Not)?In\/\d+|\/deny\/roles\/\d+|\/limit\/role)$`);
const NAME_VALUE = /^\/policies\/\d+\/name$/;
const DESCRIPTION_VALUE = /^\/policies\/\d+\/description$/;
const EMAIL_VALUE = new RegExp(String.raw`^\/policies\/\d+${MATCH}\/email(?:\/\d+)?$`);
const DURATION_VALUE = new RegExp(String.raw`^\/policies\/\d+(?:\/require\/expiresWithin|${MATCH}\/inactiveFor)$`);

/** supersededByPolicyRule tells whether a policy rule reports this schema error better. */
export function supersededByPolicyRule(e: ErrorObject): boolean {
  if (DURATION_VALUE.test(e.instancePath)) return (typeof e.data === "string" && e.keyword === "pattern") || (typeof e.data === "number" && e.keyword === "type");
  if (typeof e.data !== "string") return false;
  if (DESCRIPTION_VALUE.test(e.instancePath)) return e.keyword === "pattern" || e.keyword === "maxLength";
  if (EMAIL_VALUE.test(e.instancePath)) return true;
  if (PERMISSION_VALUE.test(e.instancePath)) return e.keyword === "enum";
  if (ROLE_VALUE.test(e.instancePath)) return true;
  return NAME_VALUE.test(e.instancePath) && e.keyword === "pattern";
}
