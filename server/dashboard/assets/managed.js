// @ts-check
// Who manages a member, an invitation or a custom role (`managedBy`, docs/api.md): a small
// label where it is listed, and a warning in the dialogs that change it, since a change made
// here by hand is reverted the next time the file or stack that manages it is applied or its
// drift is corrected. The dashboard itself never claims anything (it sends no X-Antryk-Manager).
import { h } from "./dom.js";
import { visibleIdentity as visible } from "./identity.js";

/**
 * managedBy is the manager id of an object, or null when no file or stack manages it.
 * @param {{ managedBy?: string | null } | null | undefined} obj
 * @returns {string | null}
 */
export function managedBy(obj) {
  return typeof obj?.managedBy === "string" && obj.managedBy !== "" ? obj.managedBy : null;
}

/**
 * managedLabel is the "managed by …" label of an object, or null when nobody manages it.
 * @param {{ managedBy?: string | null }} obj
 */
export function managedLabel(obj) {
  const manager = managedBy(obj);
  if (manager === null) return null;
  return h("span", { class: "managed-by", dataset: { managedBy: manager } }, " managed by ", h("code", {}, visible(manager)));
}

/** managedWarning is the dialogs' warning for an object someone manages (`what`: "person" or "role"), or null. */
/** @param {{ managedBy?: string | null }} obj */
export function managedWarning(obj, what = "person") {
  const manager = managedBy(obj);
  if (manager === null) return null;
  return h(
    "p",
    { class: "notice managed-warning", role: "note" },
    `This ${what} is managed by `,
    h("code", {}, visible(manager)),
    "; a change made here is reverted the next time it is applied or its drift is corrected.",
  );
}
