import type { IncomingHttpHeaders } from "node:http";
import type { AuditClient } from "../schema/api.js";

/** CLI_USER_AGENT matches the User-Agent antryk-access sends (`antryk-access/<version>`), capturing a sane version. */
const CLI_USER_AGENT = /^antryk-access\/([0-9A-Za-z.+-]{1,40})(?:\s|$)/;

/** DASHBOARD_HEADER is the header the dashboard sends on every call (`X-Antryk-Client: dashboard`). */
export const DASHBOARD_HEADER = "x-antryk-client";

/**
 * clientOf names the client of a request for the access history (docs/api.md):
 * `dashboard` when it sends `X-Antryk-Client: dashboard`, `antryk-access` (with its version)
 * when its User-Agent is `antryk-access/<version>`, `api` for anything else. Callers
 * identify themselves: this is context for people, never a permission.
 */
export function clientOf(headers: IncomingHttpHeaders): { client: Exclude<AuditClient, "unknown" | "server">; clientVersion?: string } {
  if (headers[DASHBOARD_HEADER] === "dashboard") return { client: "dashboard" };
  const agent = headers["user-agent"];
  const match = typeof agent === "string" ? CLI_USER_AGENT.exec(agent) : null;
  if (match?.[1] !== undefined) return { client: "antryk-access", clientVersion: match[1] };
  return { client: "api" };
}
