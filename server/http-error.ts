import type { ApiErrorBody, ApiErrorCode, ValidationReason } from "../schema/api.js";

/**
 * HttpError is every answer the server gives for a caller's fault (4xx) or its own
 * (5xx): `status` and `code` are the contract (ApiErrorCode), `message` is one line a
 * person can act on and never contains a token, `details` carries machine-readable
 * specifics (`field`, `missingPermission`, `currentVersion`, ...).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  /** body is the JSON answer: `{ error: { code, message, details? } }`. */
  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** invalid is a 400 validation_failed naming the request field at fault, with `details.reason` (a ValidationReason) for clients to act on instead of the message text. */
export function invalid(field: string, message: string, reason: ValidationReason = "invalid", extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(400, "validation_failed", `${field}: ${message}`, { field, reason, ...extra });
}

/** notFound is a 404 naming what was looked for. */
export function notFound(what: string): HttpError {
  return new HttpError(404, "not_found", `${what} not found`);
}

/** conflict is a 409 with the given code. */
export function conflict(code: ApiErrorCode, message: string, details?: Record<string, unknown>): HttpError {
  return new HttpError(409, code, message, details);
}
