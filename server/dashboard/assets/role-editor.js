// @ts-check
// Create, edit and delete custom roles. A role may hold every permission but the
// owner-only ones; its name follows the API's pattern and may not shadow a built-in;
// a role still held by a member or a pending invitation cannot be deleted (409).
import { ApiFailure, describeFailure, fieldSentence } from "./api.js";
import { summarize } from "./changes.js";
import { confirmAction, openDialog } from "./dialogs.js";
import { emailList, h, replace, announce } from "./dom.js";
import { field, permissionPicker, setFieldError } from "./fields.js";
import { highRisk, impactTable, roleHolders, roleImpact } from "./impact.js";
import { managedWarning } from "./managed.js";
import { withSponsorChoice } from "./sponsors.js";

/** ROLE_NAME is the custom role name pattern of schema/catalog.ts (CUSTOM_ROLE_NAME_PATTERN). */
export const ROLE_NAME = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * editRole opens the role dialog: a new custom role when `role` is null, else an edit of it, naming who holds it (`holders`: { members, invitations } e-mails).
 * @param {any} role
 * @param {any} ctx
 */
export async function editRole(role, ctx, holders = { members: [], invitations: [] }) {
  let base = role;
  const name = field({ label: "Name", control: h("input", { name: "name", autocomplete: "off", spellcheck: "false", value: role?.name ?? "", readonly: Boolean(role) }), hint: role ? "A role's name cannot change." : "Lower-case letters, digits and dashes, starting with a letter, e.g. release-manager." });
  const description = field({ label: "Description", control: h("textarea", { name: "description", rows: 2, maxlength: 1000 }) });
  description.control.value = role?.description ?? "";
  const perms = permissionPicker({ catalog: ctx.catalog, checked: role?.permissions ?? [], legend: "Permissions" });
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });
  const changed = h("div", { class: "notice changed", role: "status", hidden: true });

  const save = async () => {
    for (const f of [name, description, perms]) setFieldError(f, null);
    formError.hidden = true;
    const roleName = name.control.value.trim();
    if (!role) {
      if (ctx.roles.some((/** @type {any} */ r) => r.name === roleName)) {
        setFieldError(name, `A role named ${roleName} already exists. Choose another name, or edit that role from the Roles page.`);
        name.control.focus();
        return false;
      }
      if (!ROLE_NAME.test(roleName)) {
        setFieldError(name, "A role name uses lower-case letters, digits and dashes (2 to 63 characters) and starts with a letter.");
        name.control.focus();
        return false;
      }
    }
    const body = { description: description.control.value.trim(), permissions: perms.value() };
    try {
      if (base && !(await confirmHolders(base, body.permissions, ctx))) return false;
      const done = await withSponsorChoice((/** @type {any} */ choice) => ctx.api.putRole(roleName, body, base?.version, choice), {
        title: `Holders of ${roleName} sponsor open invitations`,
        lead: `This edit takes access:manage from holders of ${roleName} who sponsor these invitations.`,
        verb: "Save",
      });
      if (done.cancelled) return false;
      announce(role ? `Saved the role ${roleName}.` : `Created the role ${roleName}.`);
      return true;
    } catch (caught) {
      const err = /** @type {any} */ (caught);
      if (err instanceof ApiFailure && err.code === "precondition_failed" && base) {
        const fresh = (await ctx.api.roles()).find((/** @type {any} */ r) => r.name === base.name);
        if (!fresh) {
          formError.hidden = false;
          formError.textContent = `The role ${base.name} was deleted while this was open.`;
          return false;
        }
        const lines = summarize(base, fresh);
        base = fresh;
        replace(changed, h("p", {}, h("strong", {}, "Someone else changed this role while the dialog was open. "), "Your choices below are kept; Save again to apply them."), h("ul", { class: "change-lines" }, lines.map((l) => h("li", {}, l))));
        changed.hidden = false;
        return false;
      }
      const fieldName = String(err.details?.field ?? "");
      const target = fieldName === "name" ? name : fieldName.startsWith("permissions") ? perms : fieldName === "description" ? description : null;
      if (target && err.code === "validation_failed") setFieldError(target, fieldSentence(err));
      else {
        formError.hidden = false;
        formError.textContent = describeFailure(err, roleName);
      }
      return false;
    }
  };

  const result = await openDialog({
    title: role ? `Edit the role ${role.name}` : "New custom role",
    body: h("div", { class: "form" }, managedWarning(role, "role"), role ? heldBy(holders) : null, changed, formError, name.wrapper, description.wrapper, perms.wrapper),
    buttons: [
      { label: "Cancel", value: "cancel" },
      { label: role ? "Save role" : "Create role", value: "save", kind: "primary", beforeClose: save },
    ],
    initialFocus: () => (role ? description.control : name.control),
  });
  if (result === "save") ctx.rerender({ focus: [`edit-role:${role?.name ?? name.control.value.trim()}`] });
}

/**
 * heldBy says who holds the role being edited, the names folded away when there are any.
 * @param {any} options
 */
function heldBy({ members, invitations }) {
  const sentence = `Held by ${members.length} member(s) and ${invitations.length} pending invitation(s).`;
  if (!members.length && !invitations.length) return h("p", { class: "hint held-by" }, sentence);
  return h(
    "details",
    { class: "held-by" },
    h("summary", {}, sentence, " A change of its permissions is confirmed first, naming each of them."),
    members.length ? emailList("Members holding the role", members) : null,
    invitations.length ? emailList("Pending invitations for the role", invitations) : null,
  );
}

/**
 * confirmHolders asks before an edit of `role`'s permissions reaches anyone: it names every
 * holder (members and pending invitations, read afresh) with what each gains and loses,
 * high-risk gains marked; Cancel has the focus. Resolves true when nobody holds the role,
 * the permissions are unchanged, or the person confirms.
 * @param {any} role
 * @param {any} permissions
 * @param {any} ctx
 */
async function confirmHolders(role, permissions, ctx) {
  if ([...permissions].sort().join() === [...role.permissions].sort().join()) return true;
  const [members, invitations] = await Promise.all([ctx.api.members(), ctx.api.invitations()]);
  const holders = roleHolders(role.name, members, invitations, ctx.roles, ctx.catalog);
  if (!holders.length) return true;
  const impact = roleImpact(role.name, permissions, holders, ctx.roles);
  const risky = highRisk(ctx.catalog);
  const riskyGainers = impact.filter((/** @type {any} */ x) => x.gained.some((/** @type {any} */ p) => risky.has(p))).length;
  const people = (/** @type {any} */ n, /** @type {string} */ kind) => `${n} ${kind}${n === 1 ? "" : "s"}`;
  const memberCount = holders.filter((x) => x.kind === "member").length;
  const body = h(
    "div",
    { class: "role-impact" },
    h("p", {}, `The role ${role.name} is held by ${people(memberCount, "member")} and ${people(holders.length - memberCount, "pending invitation")}. Saving changes the access of each of them:`),
    riskyGainers ? h("p", { class: "notice risk-notice" }, h("strong", {}, "High risk: "), `${people(riskyGainers, "holder")} gain${riskyGainers === 1 ? "s" : ""} a high-risk permission.`) : null,
    impactTable(impact, ctx.catalog),
  );
  return confirmAction({ title: `Change the access of ${people(holders.length, "holder")} of ${role.name}?`, body, confirmLabel: "Confirm change", danger: riskyGainers > 0 });
}

/**
 * deleteRole asks first, listing who holds the role; a role still held cannot be deleted (as the API's 409).
 * @param {any} role
 * @param {any} holders
 * @param {any} ctx
 */
export async function deleteRole(role, holders, ctx) {
  const held = holders.members.length + holders.invitations.length > 0;
  const list = (/** @type {string} */ label, /** @type {any} */ emails) =>
    emails.length ? [h("p", {}, label), emailList(label, emails)] : null;
  const body = h(
    "div",
    {},
    h("p", {}, held ? `The role ${role.name} is still held, so it cannot be deleted. Give these people another role first.` : `Nobody holds the role ${role.name}. Deleting it cannot be undone.`),
    list("Members", holders.members),
    list("Pending invitations", holders.invitations),
  );
  const value = await openDialog({
    title: `Delete the role ${role.name}?`,
    body,
    buttons: held ? [{ label: "Close", value: "cancel" }] : [{ label: "Cancel", value: "cancel" }, { label: "Delete role", value: "delete", kind: "danger" }],
  });
  if (value !== "delete") return;
  try {
    await ctx.api.deleteRole(role);
    announce(`Deleted the role ${role.name}.`);
  } catch (err) {
    announce(describeFailure(err, role.name), "error");
  }
  ctx.rerender({ focus: [`delete-role:${role.name}`, "new-role"] });
}
