/**
 * antryk-access as a library: the engine's stages (load → fetch → plan → apply),
 * the renderers and the typed errors. The CLI and the Pulumi provider use only this.
 */
export * from "./errors.js";
export * from "./schema/catalog.js";
export { compareText, sortPermissions } from "./schema/order.js";
export type * from "./schema/api.js";
export type { Diagnostic, Severity } from "./schema/diagnostics.js";
export * from "./schema/model.js";
export type { LiveState } from "./reconciler/live-state.js";
export { createClient, type AccessClient, type ClientOptions, type CallCounts } from "./client/index.js";
export { fetchWorkspaceState } from "./reconciler/fetch.js";
export { digestLiveState } from "./reconciler/digest.js";
export { applyPlan, assertFresh, type ApplyResult, type ApplyOptions, type ApplyClient } from "./reconciler/apply/index.js";
export { startServer, initWorkspace, issueToken, type ServerOptions, type RunningServer } from "./server/index.js";
export { loadAccessFile, parseAccessText, validateAccessDocument, type LoadResult, type LoadOptions } from "./schema/load.js";
export * from "./reconciler/plan.js";
export { computePlan, type PlanOptions } from "./reconciler/compute/index.js";
export { renderText, renderJson, renderMarkdown, renderAccessYaml, renderYamlDiff, renderPlanYamlDiff, summaryLine, type TextOptions, type AccessYamlOptions, type YamlDiffOptions, type MarkdownOptions } from "./reconciler/render/index.js";
export { SAFETY_RAILS, runRails, type SafetyRail, type RailOptions } from "./reconciler/safety/index.js";
