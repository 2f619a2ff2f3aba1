// @ts-check
// DOM helpers. Every text from the API goes through text nodes or attributes, never
// innerHTML, so no value can turn into markup.
import { mixedScriptLocalPart, unicodeEmail, visibleIdentity } from "./identity.js";

/**
 * h builds an element: h("button", { class: "x", onclick: fn }, "Label", child).
 * A prop that starts with "on" is an event listener; `false`, null and undefined props
 * are left out; children may be strings, nodes, arrays or null.
 */
/**
 * @param {string} tag
 * @param {Record<string, any> | null} [props]
 * @param {...any} children
 * @returns {any} the element (typed loosely: callers read tag-specific properties such as `value`)
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value" || key === "checked" || key === "selected") /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {any[]} children
 */
function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * replace empties `el` and fills it with `children`.
 * @param {Element} el
 * @param {...any} children
 */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
/** nextId returns a page-unique id for label/aria wiring. */
/** @param {string} prefix */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * announce shows a short message above the page's content: a status read politely, or with
 * kind "error" an alert read at once. It stays until the next message or navigation (no
 * timer, so the page never jumps under the pointer); an empty message clears both.
 * @param {string} message
 * @param {string} [kind]
 */
export function announce(message, kind = "ok") {
  const toast = document.getElementById("toast");
  const alert = document.getElementById("alert");
  if (!toast || !alert) return;
  replace(toast);
  replace(alert);
  if (!message) return;
  const target = kind === "error" ? alert : toast;
  replace(target, h("p", { class: `toast toast-${kind}` }, message));
}

/**
 * scrollRegion wraps a wide table in a labelled region that keyboard users can focus and
 * scroll; the page itself never scrolls sideways.
 */
/**
 * @param {string} label
 * @param {Element} table
 */
export function scrollRegion(label, table, props = {}) {
  return h("div", { class: "table-wrap", role: "region", "aria-label": label, tabindex: 0, ...props }, table);
}

/** emailList is a list of e-mails in a labelled, focusable region that scrolls when long. */
/**
 * @param {string} label
 * @param {string[]} emails
 */
export function emailList(label, emails) {
  return h("div", { class: "email-list", role: "region", "aria-label": label, tabindex: 0 }, h("ul", {}, emails.map((e) => h("li", {}, emailText(e)))));
}

/**
 * cell is a table cell labelled with its column, its content in one wrapper so that on a
 * narrow window (where rows become cards) the label and the content sit side by side.
 */
/**
 * @param {string} label
 * @param {any} content
 */
export function cell(label, content, props = {}) {
  return h("td", { "data-label": label, ...props }, h("div", { class: "cell" }, content));
}

/**
 * guarded wraps an action's click handler so that it runs once at a time: while a run is in
 * flight the button reads as disabled (aria-disabled, so focus stays on it) and further
 * clicks are ignored, so a double click sends one request.
 * @param {(event: Event) => unknown} action
 * @returns {(event: Event) => Promise<void>}
 */
export function guarded(action) {
  let running = false;
  return async (/** @type {Event} */ event) => {
    if (running) return;
    running = true;
    const el = event?.currentTarget instanceof Element ? event.currentTarget : null;
    el?.setAttribute("aria-disabled", "true");
    try {
      await action(event);
    } finally {
      running = false;
      el?.removeAttribute("aria-disabled");
    }
  };
}

/**
 * emailText shows an e-mail as people read it: an internationalised domain in Unicode
 * (`ann@bücher.de`) with the stored punycode form in a tooltip, and every invisible
 * character escaped (visibleIdentity) in both; a local part mixing scripts is flagged.
 * @param {string} email
 */
export function emailText(email) {
  const shown = visibleIdentity(unicodeEmail(email));
  const stored = visibleIdentity(email);
  const text = h("span", { class: "email", title: shown === stored ? false : `Stored as ${stored}`, dataset: shown === stored ? {} : { punycode: stored } }, shown);
  // A local part mixing scripts (UTS #39; "аlice" with a Cyrillic а) is flagged wherever an address is shown.
  const scripts = mixedScriptLocalPart(email);
  if (!scripts) return text;
  return h("span", { class: "email-flagged" }, text, h("span", { class: "badge badge-expired mixed-script", dataset: { mixed: scripts.join(",") }, title: `The part before "@" mixes scripts (${scripts.join(", ")}): it may be a look-alike of another address.` }, ` mixed scripts (${scripts.join(", ")})`));
}
