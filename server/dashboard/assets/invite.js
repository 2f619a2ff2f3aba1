// @ts-check
// Give account access: invite an e-mail to a role with extra permissions. Validation is
// the API's; each error is shown as a plain sentence next to the control it is about,
// with the next step where there is one (an existing pending invitation can be resent).
import { ApiFailure, describeFailure, fieldSentence } from "./api.js";
import { guarded, h, replace } from "./dom.js";
import { field, permissionPicker, rolePermissions, roleSelect, setFieldError } from "./fields.js";
import { ttlText } from "./format.js";
import { mixedScriptLocalPart, visibleIdentity } from "./identity.js";

/**
 * fieldOf is which control an API error belongs to, by its `details.field` (or its code when the
 * API names no field).
 * @param {any} err
 * @returns {"email" | "role" | "permissions" | null}
 */
function fieldOf(err) {
  const name = String(err.details?.field ?? "").replace(/^\//, "");
  if (name.startsWith("email") || err.code === "already_member" || err.code === "invitation_pending") return "email";
  if (name.startsWith("role")) return "role";
  if (name.startsWith("permissions")) return "permissions";
  return null;
}

// The sentence of a refused look-alike (400, details.reason look_alike): whom the address reads as.
/**
 * @param {any} err
 */
function lookAlikeSentence(err) {
  if (err.details?.reason !== "look_alike" || !err.details.lookAlike) return null;
  return `This address reads the same as ${visibleIdentity(err.details.lookAlike)}, who is already in this workspace: a look-alike address is refused. Check the address you were given.`;
}

// The warning under the e-mail while it is typed: letters of several scripts before "@" (UTS #39).
/**
 * @param {string} address
 */
function mixedScriptWarning(address) {
  const scripts = mixedScriptLocalPart(address.trim());
  return scripts ? `The part before "@" mixes scripts (${scripts.join(", ")}): check it is the address you mean, not a look-alike.` : "";
}

/**
 * renderInvite fills `view` with the invite form (only reachable with access:manage).
 * @param {HTMLElement} view
 * @param {any} ctx
 */
export async function renderInvite(view, ctx) {
  if (!ctx.canManage) {
    replace(view, h("h1", { tabindex: -1 }, "Give account access"), h("p", { class: "notice" }, "Inviting people needs the access:manage permission, which you do not hold."));
    return;
  }
  const ttl = ctx.workspace.invitationTtlSeconds;
  const email = field({
    label: "E-mail",
    control: h("input", { type: "email", name: "email", autocomplete: "off", spellcheck: "false" }),
    hint: `The invitation is sent to this address; its link works for ${ttl ? ttlText(ttl) : "a limited time"} unless resent.`,
  });
  const warning = h("p", { id: `${email.control.id}-warning`, class: "hint field-warning", role: "status" });
  email.control.setAttribute("aria-describedby", `${email.control.getAttribute("aria-describedby")} ${warning.id}`);
  email.error.before(warning);
  email.control.addEventListener("input", () => (warning.textContent = mixedScriptWarning(email.control.value)));
  const role = field({ label: "Role", control: roleSelect(ctx.roles, "developer") });
  const perms = permissionPicker({ catalog: ctx.catalog, fromRole: rolePermissions(ctx.roles, "developer") });
  role.control.addEventListener("change", () => perms.setRole(rolePermissions(ctx.roles, role.control.value)));
  const fields = { email, role, permissions: perms };
  const formError = h("p", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Send invitation");

  // An e-mail with a pending invitation: offer to resend that one instead.
  const offerResend = async (/** @type {string} */ address) => {
    const wanted = address.trim().toLowerCase();
    const existing = (await ctx.api.invitationsPage({ q: wanted, status: "pending", limit: 1000 })).items.find((/** @type {any} */ i) => i.email === wanted);
    if (!existing) return;
    email.error.append(
      " ",
      h("button", {
        type: "button",
        class: "btn btn-small",
        onclick: guarded(async () => {
          try {
            await ctx.api.resendInvitation(existing);
            ctx.flash(`Sent the invitation to ${existing.email} again.`);
            location.hash = "#/invitations";
          } catch (err) {
            setFieldError(email, describeFailure(err, existing.email));
          }
        }),
      }, "Resend the existing invitation"),
    );
  };

  const form = h(
    "form",
    {
      class: "form card",
      novalidate: true, // the API validates; its errors are shown inline
      onsubmit: async (/** @type {Event} */ event) => {
        event.preventDefault();
        for (const f of Object.values(fields)) setFieldError(f, null);
        formError.hidden = true;
        submit.disabled = true;
        const address = email.control.value;
        try {
          const invitation = await ctx.api.invite({ email: address, role: role.control.value, permissions: perms.value() });
          ctx.flash(`Invited ${invitation.email} as ${invitation.role}.`);
          location.hash = "#/invitations";
        } catch (err) {
          const key = fieldOf(err);
          const target = key === null ? undefined : fields[key];
          if (target && err instanceof ApiFailure) {
            setFieldError(target, err.code === "validation_failed" ? (lookAlikeSentence(err) ?? fieldSentence(err)) : describeFailure(err, address.trim()));
            if (err.code === "invitation_pending") await offerResend(address);
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
