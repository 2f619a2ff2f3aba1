// Form controls shared by "Give account access" and "Manage access": a role picker and
// the extra-permission checkboxes, each labelled, with room for an inline error.
import { h, nextId } from "./dom.js";
import { OWNER_ONLY_PERMISSIONS } from "./format.js";

/** field wraps a control with its label, an optional hint and an error slot wired through aria-describedby. */
export function field({ label, control, hint }) {
  const id = control.id || (control.id = nextId("field"));
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const wrapper = h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { id: hintId, class: "hint" }, hint) : null, control, error);
  return { wrapper, control, error };
}

/** setFieldError shows (or with null, clears) the error of a field made by `field` or `permissionPicker`. */
export function setFieldError(f, message) {
  f.error.hidden = !message;
  f.error.textContent = message ?? "";
  const target = f.control ?? f.wrapper;
  if (message) target.setAttribute("aria-invalid", "true");
  else target.removeAttribute("aria-invalid");
}

/** roleSelect is a <select> of the roles a member may be given (never owner), built-in first. */
export function roleSelect(roles, selected) {
  const assignable = roles.filter((r) => r.name !== "owner");
  const option = (r) => h("option", { value: r.name, selected: r.name === selected }, r.builtIn ? r.name : `${r.name} (custom)`);
  return h(
    "select",
    { name: "role" },
    h("optgroup", { label: "Built-in roles" }, assignable.filter((r) => r.builtIn).map(option)),
    assignable.some((r) => !r.builtIn) ? h("optgroup", { label: "Custom roles" }, assignable.filter((r) => !r.builtIn).map(option)) : null,
  );
}

/**
 * permissionPicker is a fieldset of checkboxes over the catalog. Owner-only permissions
 * and those the signed-in member does not hold are shown but disabled (the API refuses them).
 * `value()` returns the checked ids in catalog order.
 */
export function permissionPicker({ catalog, held, checked = [], legend = "Extra permissions" }) {
  const errorId = nextId("permissions-error");
  const boxes = catalog.map((p) => {
    const ownerOnly = OWNER_ONLY_PERMISSIONS.includes(p.id);
    const notHeld = !held.includes(p.id);
    const id = nextId("perm");
    const box = h("input", { type: "checkbox", id, name: "permissions", value: p.id, checked: checked.includes(p.id), disabled: ownerOnly || notHeld });
    const why = ownerOnly ? "owner only" : notHeld ? "you do not hold it" : null;
    return {
      box,
      el: h(
        "div",
        { class: "check" },
        box,
        h("label", { for: id }, h("code", {}, p.id), " ", h("span", { class: "muted" }, p.description), why ? h("span", { class: "why" }, ` (${why})`) : null),
      ),
    };
  });
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const wrapper = h("fieldset", { class: "permissions", "aria-describedby": errorId }, h("legend", {}, legend), h("div", { class: "check-grid" }, boxes.map((b) => b.el)), error);
  return {
    wrapper,
    error,
    control: wrapper,
    value: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value),
    onChange: (fn) => boxes.forEach((b) => b.box.addEventListener("change", fn)),
  };
}
