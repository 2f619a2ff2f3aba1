import { createHash, randomBytes } from "node:crypto";

/** API_TOKEN_PREFIX marks an API bearer token; INVITATION_TOKEN_PREFIX an invitation token. */
export const API_TOKEN_PREFIX = "ak_";
export const INVITATION_TOKEN_PREFIX = "aki_";

/** API_TOKEN_PATTERN is the shape of a well-formed API token (prefix + 32 bytes base64url). */
export const API_TOKEN_PATTERN = /^ak_[A-Za-z0-9_-]{43}$/;
/** INVITATION_TOKEN_PATTERN is the shape of a well-formed invitation token. */
export const INVITATION_TOKEN_PATTERN = /^aki_[A-Za-z0-9_-]{43}$/;

/** newSecret is a fresh token: the prefix and 32 random bytes in base64url. Only its hash is ever stored. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** hashSecret is the SHA-256 hex digest under which a token is stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** newId is a random, URL-safe object id with a kind prefix (`mem_`, `inv_`, `evt_`). */
export function newId(prefix: string): string {
  return prefix + randomBytes(12).toString("hex");
}
