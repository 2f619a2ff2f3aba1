// Give account access: invite an email to a role with extra permissions. Validation is
// the API's: its `details.field` puts each error next to the control it is about.
import { describeFailure } from "./api.js";
import { h, replace } from "./dom.js";
import { field, permissionPicker, roleSelect, setFieldError } from "./fields.js";

// Which control an API error belongs to, by its `details.field` (or its code when the
// API names no field).
function fieldOf(err) {
  const name = String(err.details?.field ?? "").replace(/^\//, "");
  if (name.startsWith("email") || err.code === "already_member" || err.code === "invitation_pending") return "email";
  if (name.startsWith("role")) return "role";
  if (name.startsWith("permissions")) return "permissions";
  return null;
}

/** renderInvite fills `view` with the invite form (only reachable with access:manage). */
export async function renderInvite(view, ctx) {
  if (!ctx.canManage) {
    replace(view, h("h1", { tabindex: -1 }, "Give account access"), h("p", { class: "notice" }, "Inviting people needs the access:manage permission, which you do not hold."));
    return;
  }
  const email = field({ label: "Email", control: h("input", { type: "email", name: "email", autocomplete: "off", spellcheck: "false" }), hint: "The invitation is sent to this address; it expires after 7 days unless resent." });
  const role = field({ label: "Role", control: roleSelect(ctx.roles, "developer") });
  const perms = permissionPicker({ catalog: ctx.catalog, held: ctx.me.effectivePermissions });
  const fields = { email, role, permissions: perms };
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Send invitation");

  const form = h(
    "form",
    {
      class: "form card",
      novalidate: true, // the API validates; its errors are shown inline
      onsubmit: async (event) => {
        event.preventDefault();
        for (const f of Object.values(fields)) setFieldError(f, null);
        formError.hidden = true;
        submit.disabled = true;
        try {
          const invitation = await ctx.api.invite({ email: email.control.value, role: role.control.value, permissions: perms.value() });
          ctx.flash(`Invited ${invitation.email} as ${invitation.role}.`);
          location.hash = "#/invitations";
        } catch (err) {
          const target = fields[fieldOf(err)];
          if (target) {
            setFieldError(target, err.message);
            (target === perms ? perms.wrapper.querySelector("input:not([disabled])") : target.control)?.focus();
          } else {
            formError.hidden = false;
            formError.textContent = describeFailure(err);
          }
        } finally {
          submit.disabled = false;
        }
      },
    },
    formError,
    email.wrapper,
    role.wrapper,
    perms.wrapper,
    h("div", { class: "form-actions" }, submit, h("a", { href: "#/invitations", class: "btn" }, "Cancel")),
  );
  replace(view, h("h1", { tabindex: -1 }, "Give account access"), h("p", { class: "lead" }, `Invite someone to ${ctx.api.workspace}. They join with the role and extra permissions chosen here once they accept.`), form);
}
