/** WORKSPACE_NAME_PATTERN is the shape of a workspace name (it appears in every API path). */
export const WORKSPACE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** EMAIL_PATTERN is a deliberately simple email shape: one @, no spaces, a dot in the domain. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** MAX_EMAIL_LENGTH is the longest email the server stores (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** isEmail tells whether an already-normalized string is an acceptable email. */
export function isEmail(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(value);
}
