// @ts-check
// Edit a pending invitation's role and extra permissions (PATCH, pending only). A 412
// reloads the invitation and shows what changed since the dialog opened.
import { ApiFailure } from "./api.js";
import { showConcurrentChange, unchangedChoice } from "./changes.js";
import { openDialog } from "./dialogs.js";
import { h, announce } from "./dom.js";
import { field, permissionPicker, rolePermissions, roleSelect, setFieldError, showSaveError } from "./fields.js";
import { accessChangeSentence } from "./impact.js";
import { managedWarning } from "./managed.js";

/**
 * editInvitation opens the edit dialog for pending invitation `i`; on save the page is redrawn with focus back on its row.
 * @param {any} i
 * @param {any} ctx
 */
export async function editInvitation(i, ctx) {
  let base = i;
  const role = field({ label: "Role", control: roleSelect(ctx.roles, i.role) });
  const perms = permissionPicker({ catalog: ctx.catalog, checked: i.permissions, fromRole: rolePermissions(ctx.roles, i.role) });
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });
  const changed = h("div", { class: "notice changed", role: "status", hidden: true });
  role.control.addEventListener("change", () => {
    perms.setRole(rolePermissions(ctx.roles, role.control.value));
    formError.hidden = true;
  });
  perms.onChange(() => (formError.hidden = true));

  const recover = async () => {
    const fresh = await ctx.api.invitation(base.id).catch((/** @type {any} */ err) => { if (err?.code === "not_found") return null; throw err; });
    if (!fresh) return;
    showConcurrentChange(changed, "invitation", base, fresh);
    base = fresh;
  };

  const save = async () => {
    setFieldError(role, null);
    setFieldError(perms, null);
    const next = { role: role.control.value, permissions: perms.value() };
    if (unchangedChoice(next, base)) {
      formError.hidden = false;
      formError.textContent = "Nothing changed: pick another role or tick a permission, or press Cancel.";
      return false;
    }
    try {
      await ctx.api.updateInvitation(base, next);
      announce(`Updated the invitation to ${i.email}: ${accessChangeSentence(base, next)}.`);
      return true;
    } catch (err) {
      if (err instanceof ApiFailure && err.code === "precondition_failed") {
        await recover();
        return false;
      }
      showSaveError(err, { role, perms, formError }, i.email);
      return false;
    }
  };

  const result = await openDialog({
    title: `Edit the invitation to ${i.email}`,
    body: h(
      "div",
      { class: "form" },
      managedWarning(i),
      h("p", { class: "hint" }, "They join with this role and these extra permissions when they accept. The link and its expiry stay the same."),
      changed,
      formError,
      role.wrapper,
      perms.wrapper,
    ),
    buttons: [
      { label: "Cancel", value: "cancel" },
      { label: "Save changes", value: "save", kind: "primary", beforeClose: save },
    ],
    initialFocus: () => role.control,
  });
  if (result === "save" || base !== i) ctx.rerender({ focus: [`edit:${i.email}`, `row:${i.email}`] });
}
