import { parseEmail } from "../schema/identity.js";

/** WORKSPACE_NAME_PATTERN is the shape of a workspace name (it appears in every API path). */
export const WORKSPACE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** MAX_EMAIL_LENGTH is the longest email the server stores; the identity grammar (schema/identity.ts) owns it. */
export { MAX_EMAIL_LENGTH } from "../schema/identity.js";

/** isEmail tells whether a string is an acceptable email under the identity grammar (schema/identity.ts), the file's own. */
export function isEmail(value: string): boolean {
  return parseEmail(value).ok;
}
