/** The renderers: pure functions from a plan (or a live state) to text. */
export { renderText, type TextOptions } from "./text.js";
export { renderJson } from "./json.js";
export { renderMarkdown, renderMarkdownComments, MARKDOWN_LIMIT, FOLD_AFTER, type MarkdownOptions } from "./markdown.js";
export { renderAccessYaml, DEFAULT_SCHEMA_URL, type AccessYamlOptions } from "./access-yaml.js";
export { renderYamlDiff, renderPlanYamlDiff, type YamlDiffOptions } from "./yaml-diff.js";
export { summaryLine, NO_CHANGES, verbOf, subjectOf, describeState, eventText } from "./words.js";
export { showInvisible, mdCode, mdText } from "./escape.js";
export { renderSetText, renderSetJson, setSummaryLine, setRow, type WorkspaceOutcome, type PlanSet, type SetRow } from "./plan-set.js";
export { renderSetMarkdown, renderSetMarkdownComments } from "./plan-set-markdown.js";
export { commentMarker, splitComments, COMMENT_MARKER_PREFIX } from "./pager.js";
export { extractSharedRoles, writeLibraryYaml, type SharedRoles } from "./library-yaml.js";
