// @ts-check
// Sponsors: an open invitation stays valid while its sponsor holds access:manage
// (docs/api.md, "Sponsors"). Taking access:manage from a sponsor (remove, demote, edit its
// custom role) needs a choice for its open invitations: transfer them to you, or revoke
// them. The dashboard lists them and offers both; nothing happens that was not chosen.
import { ApiFailure } from "./api.js";
import { openDialog } from "./dialogs.js";
import { emailText, h } from "./dom.js";

/**
 * sponsoredBy is the open (pending or expired) invitations `email` sponsors, among `invitations`.
 * @param {any} invitations
 * @param {string} email
 */
export function sponsoredBy(invitations, email) {
  return invitations.filter((/** @type {any} */ i) => (i.status === "pending" || i.status === "expired") && i.sponsor === email);
}

/**
 * sponsoredSection names each invitation (e-mail, role, status) and says what the two choices do.
 * @param {any} invitations
 */
export function sponsoredSection(invitations) {
  return h(
    "div",
    { class: "sponsored" },
    h("p", {}, h("strong", {}, `Invitations they sponsor (${invitations.length})`), ": they stay valid only while someone who manages access sponsors them."),
    h("ul", { class: "sponsored-list" }, invitations.map((/** @type {any} */ i) => h("li", {}, emailText(i.email), ` (${i.role}, ${i.status})`))),
    h("p", {}, "Transfer makes you their sponsor: they stay valid. Revoke ends them: their links stop working."),
  );
}

/**
 * SPONSOR_CHOICES are the two decisions, as dialog buttons (`verb`: "Remove", "Save", …).
 * @param {string} verb
 */
export function sponsorButtons(verb) {
  return [
    { label: "Cancel", value: "cancel", kind: "secondary" },
    { label: `${verb} and transfer invitations to me`, value: "transfer", kind: "primary" },
    { label: `${verb} and revoke invitations`, value: "revoke", kind: "danger" },
  ];
}

/**
 * withSponsorChoice runs `call(undefined)`; when the server answers 409
 * sponsored_invitations (the change takes access:manage from a sponsor), it lists them and
 * asks, then runs `call(choice)`. Resolves `{ cancelled: true }` when the person cancels.
 * @param {any} call
 * @param {any} options
 */
export async function withSponsorChoice(call, { title, lead, verb }) {
  try {
    return { cancelled: false, value: await call(undefined) };
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.code !== "sponsored_invitations") throw err;
    const invitations = Array.isArray(err.details.invitations) ? err.details.invitations : [];
    const choice = await openDialog({ title, body: h("div", {}, h("p", {}, lead), sponsoredSection(invitations)), buttons: sponsorButtons(verb) });
    if (choice !== "transfer" && choice !== "revoke") return { cancelled: true };
    return { cancelled: false, value: await call(choice) };
  }
}
