/** The reference workspace server of the Antryk Access API v1 (fastify + SQLite). */
export { startServer, DEFAULT_INVITATION_TTL_MS, DEFAULT_IDEMPOTENCY_TTL_MS, type ServerOptions, type RunningServer } from "./start.js";
export { initWorkspace, issueToken, workspaceNames, WorkspaceExistsError } from "./admin.js";
export { parseDuration } from "./duration.js";
export { DEFAULT_LIMITS, type ServerLimits, type TlsFiles } from "./limits.js";
