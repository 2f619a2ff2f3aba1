/** WORKSPACE_NAME_PATTERN is the shape of a workspace name (it appears in every API path). */
export const WORKSPACE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

// E-mails, role names and descriptions follow the identity grammar of schema/identity.ts, the file's own.
