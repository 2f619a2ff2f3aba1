// @ts-check
// Form controls shared by "Give account access" and "Manage access": a role picker and
// the extra-permission checkboxes, each labelled, with room for an inline error.
import { describeFailure, fieldSentence } from "./api.js";
import { h, nextId } from "./dom.js";

/**
 * field wraps a control with its label, an optional hint and an error slot wired through aria-describedby.
 * @param {any} options
 */
export function field({ label, control, hint }) {
  const id = control.id || (control.id = nextId("field"));
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const wrapper = h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { id: hintId, class: "hint" }, hint) : null, control, error);
  return { wrapper, control, error };
}

/**
 * setFieldError shows (or with null, clears) the error of a field made by `field` or `permissionPicker`.
 * @param {any} f
 * @param {string | null} message
 */
export function setFieldError(f, message) {
  f.error.hidden = !message;
  f.error.textContent = message ?? "";
  const target = f.control ?? f.wrapper;
  if (message) target.setAttribute("aria-invalid", "true");
  else target.removeAttribute("aria-invalid");
}

/**
 * showSaveError puts a refused save where the user will look: beside the role or the
 * permissions when the API names that field, else in the form's error line (`who`
 * names the person the message is about).
 * @param {any} err
 * @param {any} options
 * @param {any} who
 */
export function showSaveError(err, { role, perms, formError }, who) {
  const name = String(err.details?.field ?? "");
  const target = name.startsWith("permissions") ? perms : name === "role" ? role : null;
  if (target) {
    setFieldError(target, fieldSentence(err));
    return;
  }
  formError.hidden = false;
  formError.textContent = describeFailure(err, who);
}

/**
 * roleSelect is a <select> of every role a holder of access:manage may give (all but owner), built-in first.
 * @param {any} roles
 * @param {any} selected
 */
export function roleSelect(roles, selected) {
  const assignable = roles.filter((/** @type {any} */ r) => r.name !== "owner");
  const option = (/** @type {any} */ r) => h("option", { value: r.name, selected: r.name === selected }, r.builtIn ? r.name : `${r.name} (custom)`);
  return h(
    "select",
    { name: "role" },
    h("optgroup", { label: "Built-in roles" }, assignable.filter((/** @type {any} */ r) => r.builtIn).map(option)),
    assignable.some((/** @type {any} */ r) => !r.builtIn) ? h("optgroup", { label: "Custom roles" }, assignable.filter((/** @type {any} */ r) => !r.builtIn).map(option)) : null,
  );
}

/**
 * rolePermissions is what `roleName` gives, from the roles read with the page.
 * @param {any} roles
 * @param {string} roleName
 */
export function rolePermissions(roles, roleName) {
  return roles.find((/** @type {any} */ r) => r.name === roleName)?.permissions ?? [];
}

/**
 * permissionPicker is a fieldset of checkboxes over the catalog. Permissions the chosen
 * role already gives are ticked and disabled "(from role)"; owner-only ones (`ownerOnly` in
 * the catalog GET /permissions serves) are disabled
 * (nobody can grant them); every other one may be granted (the grant rule of docs/api.md).
 * Extras that the role also gives are flagged as redundant: saving drops them.
 * `value()` returns the ticked extras in catalog order, never the role's own.
 * @param {any} options
 */
export function permissionPicker({ catalog, checked = [], fromRole = null, legend = "Extra permissions" }) {
  const errorId = nextId("permissions-error");
  const noteId = nextId("permissions-note");
  const chosen = new Set(checked);
  /** @type {readonly string[]} */
  let given = [];
  const boxes = catalog.map((/** @type {any} */ p) => {
    const id = nextId("perm");
    const box = h("input", { type: "checkbox", id, name: "permissions", value: p.id });
    const why = h("span", { class: "why" });
    box.addEventListener("change", () => (box.checked ? chosen.add(p.id) : chosen.delete(p.id)));
    return { id: p.id, ownerOnly: p.ownerOnly === true, box, el: h("div", { class: "check" }, box, h("label", { for: id }, h("code", {}, p.id), " ", h("span", { class: "muted" }, p.description), why)), why };
  });
  const note = h("p", { id: noteId, class: "hint", hidden: true });
  const setRole = (/** @type {any} */ permissions) => {
    given = permissions;
    for (const b of boxes) {
      const fromIt = given.includes(b.id);
      const ownerOnly = b.ownerOnly;
      b.box.disabled = fromIt || ownerOnly;
      b.box.checked = fromIt || (!ownerOnly && chosen.has(b.id));
      b.why.textContent = fromIt ? " (from role)" : ownerOnly ? " (owner only)" : "";
    }
    const redundant = checked.filter((/** @type {string} */ p) => given.includes(p));
    note.hidden = redundant.length === 0;
    note.textContent = redundant.length ? `Already given by the role, so the extra grant is redundant and saving drops it: ${redundant.join(", ")}.` : "";
  };
  setRole(fromRole ?? []);
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const wrapper = h("fieldset", { class: "permissions", "aria-describedby": `${noteId} ${errorId}` }, h("legend", {}, legend), note, h("div", { class: "check-grid" }, boxes.map((/** @type {any} */ b) => b.el)), error);
  return {
    wrapper,
    error,
    control: wrapper,
    setRole,
    value: () => boxes.filter((/** @type {any} */ b) => b.box.checked && !given.includes(b.id) && !b.ownerOnly).map((/** @type {any} */ b) => b.id),
    onChange: (/** @type {any} */ fn) => boxes.forEach((/** @type {any} */ b) => b.box.addEventListener("change", fn)),
  };
}
