import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Invitation, Member, Page as ApiPage } from "../../schema/api.js";
import { seedMembers } from "../../server/admin.js";
import { axeSerious, goTo, launchBrowser, layoutProblems, longEmail, openPage, screenshot, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * Layout and accessibility with a full workspace: 60 people with 254-character e-mails
 * (members of built-in and custom roles, pending, expired, accepted and revoked
 * invitations), at 1440×900, 1280×800, 1024×768 and 390×844, in the light and the dark
 * colour scheme (prefers-color-scheme). On every page and dialog: the page never scrolls
 * sideways, every action button is inside the viewport (dialog buttons on screen), and
 * axe-core finds no serious or critical violation (colour contrast included). One browser, one page.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const SIZES = [
  [1440, 900],
  [1280, 800],
  [1024, 768],
  [390, 844],
] as const;

let browser: Browser;
let ws: Workspace;
let context: BrowserContext;
let page: Page;
let errors: string[];
let firstMember: string;
let firstPending: string;

beforeAll(async () => {
  ws = await startWorkspace();
  const base = `/v1/workspaces/${ws.name}`;
  await ws.api("PUT", `${base}/roles/release-manager`, {
    description: "Ships services to production and watches them run",
    permissions: ["deployments:create", "deployments:read", "logs:read", "environments:configure", "config:read", "domains:manage"],
  });
  const emails = Array.from({ length: 36 }, (_, i) => longEmail(`member${String(i).padStart(2, "0")}`));
  seedMembers(ws.dbPath, { workspace: ws.name, emails: emails.slice(0, 24), role: "developer" });
  seedMembers(ws.dbPath, { workspace: ws.name, emails: emails.slice(24, 30), role: "account-admin" });
  seedMembers(ws.dbPath, { workspace: ws.name, emails: emails.slice(30), role: "release-manager" });
  const members = (await ws.api<ApiPage<Member>>("GET", `${base}/members?limit=1000`)).items;
  for (const m of members.filter((x) => x.role === "developer").slice(0, 6)) {
    await ws.api("PATCH", `${base}/members/${m.id}`, { permissions: ["environments:configure", "domains:manage", "settings:manage"] });
  }
  firstMember = emails[0]!;
  // Invitations: 6 that expire, then 14 more pending, 2 accepted, 2 revoked (60 people in all with the owner).
  for (let i = 0; i < 6; i += 1) await ws.api("POST", `${base}/invitations`, { email: longEmail(`expired${i}`), role: "developer" });
  ws.advance(8 * DAY_MS);
  for (let i = 0; i < 14; i += 1) {
    await ws.api("POST", `${base}/invitations`, { email: longEmail(`pending${String(i).padStart(2, "0")}`), role: i % 2 ? "release-manager" : "developer", permissions: i % 3 ? [] : ["settings:manage"] });
  }
  for (let i = 0; i < 2; i += 1) await ws.join(longEmail(`joined${i}`), "developer");
  const invitations = (await ws.api<ApiPage<Invitation>>("GET", `${base}/invitations?limit=1000`)).items;
  for (const inv of invitations.filter((x) => x.status === "pending").slice(-2)) await ws.api("POST", `${base}/invitations/${inv.id}/revoke`);
  firstPending = longEmail("pending00");
  browser = await launchBrowser();
  ({ context, page, errors } = await openPage(browser));
  await signIn(page, ws, ws.ownerToken);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await ws?.close();
});

/** A state is a page or an open dialog to check; `open` gets there from a freshly shown page, `close` leaves it. */
interface State {
  name: string;
  page: [link: string, key: string];
  open?: (p: Page) => Promise<void>;
  dialog?: string | RegExp;
}

const dialogNamed = (p: Page, name: string | RegExp) => p.getByRole("dialog", { name });
const states = (): State[] => [
  { name: "members", page: ["Members", "members"] },
  { name: "members-expanded", page: ["Members", "members"], open: (p) => p.getByRole("button", { name: firstMember, exact: true }).click() },
  { name: "manage-dialog", page: ["Members", "members"], open: (p) => p.getByRole("button", { name: `Manage ${firstMember}` }).click(), dialog: `Manage access of ${firstMember}` },
  { name: "remove-confirm", page: ["Members", "members"], open: (p) => p.getByRole("button", { name: `Remove ${firstMember}` }).click(), dialog: `Remove ${firstMember}?` },
  {
    name: "invitations-selected",
    page: ["Invitations", "invitations"],
    open: async (p) => {
      await p.getByRole("button", { name: /^Select all \d+ shown$/ }).click();
      await p.getByText(/^\d+ selected$/).waitFor();
    },
  },
  { name: "bulk-revoke-confirm", page: ["Invitations", "invitations"], open: async (p) => { await p.getByRole("button", { name: /^Select all \d+ shown$/ }).click(); await p.getByRole("button", { name: "Revoke selected" }).click(); }, dialog: "Revoke the invitations of 18 people?" },
  { name: "invitations-all", page: ["Invitations", "invitations"], open: async (p) => void (await p.getByLabel("Show", { exact: true }).selectOption("all")) },
  { name: "edit-invitation-dialog", page: ["Invitations", "invitations"], open: (p) => p.getByRole("button", { name: `Edit invitation to ${firstPending}` }).click(), dialog: `Edit the invitation to ${firstPending}` },
  { name: "invite", page: ["Give account access", "invite"] },
  { name: "roles", page: ["Roles", "roles"] },
  { name: "role-dialog", page: ["Roles", "roles"], open: (p) => p.getByRole("button", { name: "Edit the role release-manager" }).click(), dialog: "Edit the role release-manager" },
  {
    name: "role-edit-confirm",
    page: ["Roles", "roles"],
    open: async (p) => {
      await p.getByRole("button", { name: "Edit the role release-manager" }).click();
      await dialogNamed(p, "Edit the role release-manager").getByLabel(/^access:manage/).check();
      await dialogNamed(p, "Edit the role release-manager").getByRole("button", { name: "Save role" }).click();
    },
    dialog: /^Change the access of \d+ holders of release-manager\?$/,
  },
  { name: "role-delete-dialog", page: ["Roles", "roles"], open: (p) => p.getByRole("button", { name: "Delete the role release-manager" }).click(), dialog: "Delete the role release-manager?" },
  { name: "history", page: ["Access history", "history"] },
  { name: "review", page: ["Review", "review"] },
];

describe("dashboard layout and accessibility with 60 people and 254-character e-mails", () => {
  const cases = (["light", "dark"] as const).flatMap((scheme) => SIZES.map(([width, height]) => [scheme, width, height] as const));
  it.each(cases)("%s, %i×%i: every page and dialog fits, keeps its actions on screen and passes axe", async (scheme, width, height) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height });
    const problems: Record<string, unknown> = {};
    for (const state of states()) {
      // Reset to a plain page (no selection, filters or open rows in the URL).
      await page.evaluate(() => history.replaceState(null, "", location.hash.split("?")[0]));
      await goTo(page, "Members", "members");
      if (state.page[1] !== "members") await goTo(page, ...state.page);
      await page.locator(`.view[data-page="${state.page[1]}"] h1`).waitFor();
      await state.open?.(page);
      if (state.dialog) await dialogNamed(page, state.dialog).waitFor();
      const layout = await layoutProblems(page);
      const axe = await axeSerious(page, state.dialog ? "dialog[open]" : undefined);
      if (layout.length) problems[`${state.name} layout`] = layout.slice(0, 5);
      if (axe.length) problems[`${state.name} axe`] = axe;
      if (state.name === "members" || state.dialog === `Manage access of ${firstMember}`) await screenshot(page, `layout-${state.name}-${width}${scheme === "dark" ? "-dark" : ""}`);
      if (state.dialog) {
        await page.keyboard.press("Escape");
        await dialogNamed(page, state.dialog).waitFor({ state: "detached" });
        // A confirmation opened from a dialog leaves that one open: Escape it too.
        if (await page.locator("dialog[open]").count()) {
          await page.keyboard.press("Escape");
          await page.locator("dialog[open]").waitFor({ state: "detached" });
        }
      }
    }
    expect(problems).toEqual({});
    expect(errors).toEqual([]);
  }, 240_000);
});
