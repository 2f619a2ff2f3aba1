// @ts-check
// Manage access of one member: role and extra permissions, with a confirmation naming
// what is gained and lost. A 412 (someone changed the member meanwhile) reloads the
// member, shows what changed since the dialog opened, keeps the choices made, and lets
// Save go through against the new version.
import { ApiFailure, describeFailure } from "./api.js";
import { showConcurrentChange, unchangedChoice } from "./changes.js";
import { confirmAction, openDialog } from "./dialogs.js";
import { withSponsorChoice } from "./sponsors.js";
import { h, replace, announce } from "./dom.js";
import { field, permissionPicker, rolePermissions, roleSelect, setFieldError, showSaveError } from "./fields.js";
import { diffPermissions, permissionList } from "./format.js";
import { accessChangeSentence, effectivePermissions, gainList } from "./impact.js";
import { managedWarning } from "./managed.js";

/**
 * @param {any} ctx
 * @param {any} role
 * @param {any} extra
 */
function effective(ctx, role, extra) {
  return effectivePermissions(ctx.roles, role, extra);
}

/**
 * @param {any} ctx
 * @param {any} m
 * @param {any} next
 */
function changeSummary(ctx, m, next) {
  const { gained, lost } = diffPermissions(m.effectivePermissions, effective(ctx, next.role, next.permissions));
  return h(
    "div",
    {},
    h("p", {}, next.role === m.role ? `Keeps the ${m.role} role.` : `Role: ${m.role} → ${next.role}.`),
    h("p", {}, "Gains: ", gainList(gained, ctx.catalog)),
    h("p", {}, "Loses: ", permissionList(lost, { empty: "nothing" })),
  );
}

/**
 * manageMember opens the Manage dialog for `m`; on save the page is redrawn with focus back on the member's row.
 * @param {any} m
 * @param {any} ctx
 */
export async function manageMember(m, ctx) {
  let base = m; // the member as the server last showed it
  const role = field({ label: "Role", control: roleSelect(ctx.roles, m.role) });
  const perms = permissionPicker({ catalog: ctx.catalog, checked: m.permissions, fromRole: rolePermissions(ctx.roles, m.role) });
  const preview = h("div", { class: "preview", "aria-live": "polite" });
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });
  const changed = h("div", { class: "notice changed", role: "status", hidden: true });
  const update = () => {
    formError.hidden = true;
    replace(preview, h("p", {}, h("strong", {}, "Effective after the change: ")), permissionList(effective(ctx, role.control.value, perms.value())));
  };
  role.control.addEventListener("change", () => {
    perms.setRole(rolePermissions(ctx.roles, role.control.value));
    update();
  });
  perms.onChange(update);
  update();

  const recover = async () => {
    let fresh;
    try {
      fresh = await ctx.api.member(base.id);
    } catch (err) {
      formError.hidden = false;
      formError.textContent = err instanceof ApiFailure && err.status === 404 ? `${m.email} is no longer a member: someone removed them while this was open.` : describeFailure(err, m.email);
      return;
    }
    showConcurrentChange(changed, "member", base, fresh);
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
    if (!(await confirmAction({ title: `Change access of ${m.email}?`, body: changeSummary(ctx, base, next), confirmLabel: "Confirm change" }))) return false;
    try {
      const done = await withSponsorChoice((/** @type {any} */ choice) => ctx.api.updateMember(base, next, choice), {
        title: `${m.email} sponsors open invitations`,
        lead: `This change takes access:manage from ${m.email}, who sponsors these invitations.`,
        verb: "Save",
      });
      if (done.cancelled) return false;
      announce(`Updated ${m.email}: ${accessChangeSentence(base, next)}.`);
      return true;
    } catch (err) {
      if (err instanceof ApiFailure && err.code === "precondition_failed") {
        await recover();
        return false;
      }
      showSaveError(err, { role, perms, formError }, m.email);
      return false;
    }
  };

  const result = await openDialog({
    title: `Manage access of ${m.email}`,
    body: h("div", { class: "form" }, managedWarning(m), changed, formError, role.wrapper, perms.wrapper, preview),
    buttons: [
      { label: "Cancel", value: "cancel" },
      { label: "Save changes", value: "save", kind: "primary", beforeClose: save },
    ],
    initialFocus: () => role.control,
  });
  if (result === "save" || base !== m) ctx.rerender({ focus: [`manage:${m.email}`] });
}
