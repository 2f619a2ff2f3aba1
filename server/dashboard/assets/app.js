// @ts-check
// The dashboard's entry: sign-in, the signed-in shell (header, navigation, the live
// bar) and the hash router. Every page reads fresh data from the Access API when shown,
// and again when the workspace's revision moves (told at once by the event stream, live.js;
// polled every 30 s while the tab is visible, every 5 s while the stream is down, or Refresh).
// Redrawing keeps the URL's filters and puts focus back where it was.
import { ApiFailure, createApi, describeFailure } from "./api.js";
import { h, replace, announce } from "./dom.js";
import { isAdmin, relative } from "./format.js";
import { renderHistory } from "./history.js";
import { visibleIdentity as shown } from "./identity.js";
import { renderInvitations } from "./invitations.js";
import { renderInvite } from "./invite.js";
import { FALLBACK_POLL_MS, liveNotice, watchLive } from "./live.js";
import { renderMembers } from "./members.js";
import { renderReview } from "./review.js";
import { renderRoles } from "./roles.js";
import { clearSession, loadSession, saveSession } from "./session.js";

/**
 * @typedef {{ title: string, render: (view: HTMLElement, ctx: Ctx) => Promise<void>, needsManage?: boolean }} Page
 * @typedef {any} Ctx the signed-in session every page renders with (api, me, roles, catalog, canManage, rerender, flash, …)
 * @type {Record<string, Page>}
 */
const PAGES = {
  members: { title: "Members", render: renderMembers },
  invitations: { title: "Invitations", render: renderInvitations },
  invite: { title: "Give account access", render: renderInvite, needsManage: true },
  roles: { title: "Roles", render: renderRoles },
  history: { title: "Access history", render: renderHistory, needsManage: true }, // GET /audit needs access:manage
  review: { title: "Review", render: renderReview },
};

// index.html always has these.
const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const nav = /** @type {HTMLElement} */ (document.getElementById("nav"));
const sessionBar = /** @type {HTMLElement} */ (document.getElementById("session"));
const live = /** @type {HTMLElement} */ (document.getElementById("live"));
let renderCount = 0;
/**
 * pendingFocus is the focus an action's redraw asked for (ctx.rerender) while a newer silent
 * redraw (a live update) superseded it: the newer one honours it, so focus does not depend on
 * which of the two finished last.
 * @type {string[]}
 */
let pendingFocus = [];
/** POLL_MS is how often a visible page asks whether the workspace's revision moved. */
const POLL_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * session is the signed-in context every page renders with; null when signed out.
 * @type {Ctx | null}
 */
let session = null;

/**
 * @param {string} message
 */
function signOut(message) {
  session?.stop?.();
  session = null;
  live.hidden = true;
  clearSession();
  announce("");
  renderSignIn(message);
}

// A 401 on any call means the token stopped being valid (revoked, or its member removed).
function onUnauthorized() {
  signOut("Your token is no longer accepted (it was revoked or its member removed). Sign in again.");
}

/**
 * signInMessage turns a failed /me call into the sentence shown on the sign-in form.
 * @param {any} err
 * @param {string} workspace
 */
function signInMessage(err, workspace) {
  if (!(err instanceof ApiFailure)) return describeFailure(err);
  if (err.status === 401) return "That token was not accepted: it is invalid, expired or revoked. Check that you pasted the whole token.";
  if (err.status === 404 || err.status === 403) return `The workspace "${workspace}" does not exist or this token does not belong to it.`;
  return describeFailure(err);
}

/**
 * @param {string} [message]
 */
function renderSignIn(message) {
  main.removeAttribute("aria-busy");
  nav.hidden = true;
  sessionBar.hidden = true;
  const params = new URLSearchParams(location.search);
  const workspace = h("input", { id: "signin-workspace", name: "workspace", autocomplete: "off", spellcheck: "false", required: true, value: params.get("workspace") ?? "" });
  const token = h("input", { id: "signin-token", name: "token", type: "password", autocomplete: "off", spellcheck: "false", required: true });
  const error = h("p", { id: "signin-error", class: "form-error", role: "alert", hidden: !message }, message ?? "");
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Sign in");
  const form = h(
    "form",
    {
      class: "card signin",
      "aria-labelledby": "signin-title",
      onsubmit: async (/** @type {Event} */ event) => {
        event.preventDefault();
        const entered = { workspace: workspace.value.trim(), token: token.value.trim() };
        if (!entered.workspace || !entered.token) {
          error.hidden = false;
          error.textContent = "Enter both the workspace name and an API token.";
          (entered.workspace ? token : workspace).focus();
          return;
        }
        submit.disabled = true;
        error.hidden = true;
        try {
          await createApi(entered).me();
          saveSession(entered);
          if (!location.hash || location.hash === "#/") history.replaceState(null, "", "#/members");
          await enter(entered);
        } catch (err) {
          error.hidden = false;
          error.textContent = signInMessage(err, entered.workspace);
          token.select();
          token.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h1", { id: "signin-title" }, "Sign in to Access Management"),
    h("p", { class: "lead" }, "Paste an API token of a workspace member. It is kept in this browser tab only (sessionStorage) and sent as a bearer header; closing the tab forgets it."),
    error,
    h("div", { class: "field" }, h("label", { for: workspace.id }, "Workspace"), workspace),
    h("div", { class: "field" }, h("label", { for: token.id }, "API token"), token),
    h("div", { class: "form-actions" }, submit),
  );
  document.title = "Sign in · Access Management";
  replace(main, form);
  (workspace.value ? token : workspace).focus();
}

/**
 * @param {any} saved
 */
async function enter(saved) {
  const api = createApi(saved, onUnauthorized);
  /** @type {Ctx} */
  const ctx = { api, me: null, roles: [], catalog: [], canManage: false, tick: null, updatedAt: 0 };
  try {
    ctx.catalog = await api.permissions();
  } catch (err) {
    if (!(err instanceof ApiFailure && err.status === 401)) signOut(describeFailure(err));
    return;
  }
  session = ctx;
  sessionBar.hidden = false;
  /** @type {HTMLElement} */ (document.getElementById("sign-out")).onclick = () => signOut("You signed out.");
  /** ctx.rerender redraws the current page after an action; `focus` lists data-key values to focus, first found wins. */
  ctx.rerender = (options = {}) => route({ ...options, silent: true });
  // Navigating clears the last message, unless the action that navigated left one.
  /** @type {string | null} */
  let flash = null;
  ctx.flash = (/** @type {string} */ message) => {
    flash = message;
  };
  window.onhashchange = () => {
    announce(flash ?? "");
    flash = null;
    route();
  };
  startLive(ctx);
  await route();
}

// The live bar: when the page last read the workspace, and a Refresh button.
/**
 * @param {any} ctx
 */
function startLive(ctx) {
  const label = h("span", { class: "live-label" });
  const notice = h("span", { class: "live-notice", id: "live-notice", role: "status" });
  const refresh = h("button", { type: "button", class: "btn btn-small", id: "refresh" }, "Refresh");
  refresh.onclick = async () => {
    await route({ silent: true });
    announce("Refreshed.");
  };
  replace(live, notice, label, refresh);
  live.hidden = false;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let wake = null;
  const tick = () => {
    if (session !== ctx) return;
    label.textContent = ctx.updatedAt ? `Updated ${relative(new Date(ctx.updatedAt).toISOString())}` : "";
    if (document.querySelector("dialog[open]") || !ctx.tick) return; // never redraw under an open dialog
    keepingFocus(() => ctx.tick());
  };
  ctx.drawLive = tick;
  /** ctx.wakeAt asks for a redraw at `ms` (epoch), e.g. when the next pending invitation expires. */
  ctx.wakeAt = (/** @type {any} */ ms) => {
    if (wake !== null) clearTimeout(wake);
    if (Number.isFinite(ms)) wake = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(0, ms - Date.now()) + 50));
  };
  const poll = async () => {
    tick();
    if (session !== ctx || document.visibilityState !== "visible" || document.querySelector("dialog[open]")) return;
    try {
      const workspace = await ctx.api.getWorkspace();
      if (ctx.workspace && workspace.revision !== ctx.workspace.revision) await route({ silent: true });
    } catch {
      // a failed poll is retried at the next one; a 401 has signed out already
    }
  };
  let timer = setInterval(poll, POLL_MS);
  const stopStream = watchLive(ctx.api, {
    // a revision the page has not drawn redraws it, unless hidden or under a dialog (the next poll catches up)
    onRevision: (/** @type {any} */ revision) => {
      if (session !== ctx || !ctx.workspace || revision === ctx.workspace.revision) return;
      if (document.visibilityState === "visible" && !document.querySelector("dialog[open]")) void route({ silent: true });
    },
    onState: (/** @type {any} */ state) => {
      clearInterval(timer);
      timer = setInterval(poll, state === "live" ? POLL_MS : FALLBACK_POLL_MS);
      notice.textContent = liveNotice(state);
      live.dataset.stream = state;
    },
  });
  const onVisible = () => document.visibilityState === "visible" && poll();
  document.addEventListener("visibilitychange", onVisible);
  ctx.stop = () => {
    stopStream();
    clearInterval(timer);
    if (wake !== null) clearTimeout(wake);
    document.removeEventListener("visibilitychange", onVisible);
  };
}

// keepingFocus runs a redraw and puts focus back on the control with the same data-key.
/**
 * @param {() => void} redraw
 */
function keepingFocus(redraw) {
  const key = focusedDataKey();
  redraw();
  if (key && focusedDataKey() !== key) /** @type {HTMLElement | null} */ (main.querySelector(`[data-key="${CSS.escape(key)}"]`))?.focus();
}

// focusedDataKey is the data-key of the focused control, if it has one.
function focusedDataKey() {
  const el = document.activeElement;
  return el instanceof HTMLElement ? el.dataset.key : undefined;
}

// route shows the page named by the hash, with the caller's identity and the roles
// read afresh so hidden actions follow permission changes. `silent` (a refresh or a
// redraw after an action) keeps focus where it was, or moves it to the first of `focus`
// (data-key values) found; otherwise focus goes to the page heading.
/**
 * @param {{ silent?: boolean, focus?: string[] }} [options]
 */
async function route({ silent = false, focus = [] } = {}) {
  const ctx = session;
  if (!ctx) return;
  const asked = (location.hash.replace(/^#\/?/, "").split("?")[0] || "members").toLowerCase();
  const key = Object.hasOwn(PAGES, asked) ? asked : "members";
  const page = /** @type {Page} */ (PAGES[key]);
  const count = ++renderCount;
  const focusKeys = silent ? [...focus, ...pendingFocus] : focus;
  pendingFocus = focusKeys;
  const focusedKey = focusedDataKey();
  main.setAttribute("aria-busy", "true");
  if (!silent) markStale(key, page.title);
  const view = h("div", { class: "view", dataset: { page: key } });
  ctx.tick = null;
  ctx.wakeAt?.(undefined);
  try {
    const [me, roles, workspace] = await Promise.all([ctx.api.me(), ctx.api.roles(), ctx.api.getWorkspace()]);
    Object.assign(ctx, { me, roles, workspace, canManage: isAdmin(me, ctx.catalog) });
    renderChrome(ctx, key);
    await page.render(view, ctx);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return;
    replace(view, h("h1", { tabindex: -1 }, page.title), h("p", { class: "form-error", role: "alert" }, describeFailure(err)), h("button", { type: "button", class: "btn", onclick: () => route() }, "Try again"));
  }
  if (count !== renderCount || session !== ctx) return; // superseded by a newer navigation, or signed out
  pendingFocus = [];
  main.removeAttribute("aria-busy");
  const focusWasInMain = main.contains(document.activeElement) && document.activeElement !== main;
  replace(main, view);
  ctx.updatedAt = Date.now();
  ctx.drawLive?.();
  document.title = `${page.title} · ${ctx.api.workspace} · Access Management`;
  const wanted = [...focusKeys, ...(silent && focusedKey ? [focusedKey] : [])].map((k) => view.querySelector(`[data-key="${CSS.escape(k)}"]`)).find(Boolean);
  if (wanted) {
    wanted.focus();
    // A redraw while typing in a search box keeps the caret at the end of what was typed.
    if (wanted instanceof HTMLInputElement && wanted.type === "search") wanted.setSelectionRange(wanted.value.length, wanted.value.length);
  }
  else if (!silent || focusWasInMain || focusKeys.length) view.querySelector("h1")?.focus({ preventScroll: true });
}

// markStale shows, while the next page loads, that what is on screen is the previous page:
// it is dimmed and inert, a status line says what is loading, and the navigation already
// marks the page asked for as current.
/**
 * @param {string} key
 * @param {string} title
 */
function markStale(key, title) {
  for (const old of main.querySelectorAll(":scope > .view")) {
    if (!(old instanceof HTMLElement)) continue;
    old.classList.add("stale");
    old.inert = true;
  }
  main.querySelector(":scope > .loading")?.remove();
  main.prepend(h("p", { class: "loading", role: "status" }, `Loading ${title}…`));
  for (const link of nav.querySelectorAll("a")) {
    if (link.getAttribute("href") === `#/${key}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/**
 * @param {any} ctx
 * @param {any} current
 */
function renderChrome(ctx, current) {
  replace(
    /** @type {HTMLElement} */ (document.getElementById("who")),
    h("span", { class: "who-email" }, shown(ctx.me.email)),
    " · ",
    h("span", { class: "who-role" }, ctx.me.role),
    " · ",
    h("span", { class: "who-ws" }, ctx.workspace.name),
  );
  replace(
    nav,
    h(
      "ul",
      {},
      Object.entries(PAGES)
        .filter(([, p]) => !p.needsManage || ctx.canManage)
        .map(([key, p]) => h("li", {}, h("a", { href: `#/${key}`, "aria-current": key === current ? "page" : false }, p.title))),
    ),
  );
  nav.hidden = false;
}

// The skip link moves focus without touching the hash (the hash is the router's).
document.querySelector(".skip-link")?.addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

const saved = loadSession();
if (saved) enter(saved);
else renderSignIn();
