import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Invitation, Member, Page as ApiPage, Role } from "../../schema/api.js";
import { goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * The admin's daily flows end to end in headless Chromium against the real server:
 * custom roles, bulk revoke with the selection in the URL, live expiry and the revision
 * poll (the browser's and the server's clocks moved together, no sleeps), recovery from
 * a 412 in the Manage dialog, and the access history's person filter.
 */

const MIN_MS = 60_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Run {
  ws: Workspace;
  page: Page;
}

/** withRun runs `body` with a fresh workspace and page; `before` runs before the first navigation (e.g. to install the page clock). */
async function withRun(body: (run: Run) => Promise<void>, options: { invitationTtlMs?: number; before?: (page: Page) => Promise<void> } = {}): Promise<void> {
  const ws = await startWorkspace("acme", "founder@acme.io", { invitationTtlMs: options.invitationTtlMs });
  const { context, page, errors } = await openPage(browser);
  try {
    await options.before?.(page);
    await body({ ws, page });
    expect(errors, "uncaught errors in the page").toEqual([]);
  } finally {
    await context.close();
    await ws.close();
  }
}

const row = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);
const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent);
const invitationsOf = async (ws: Workspace) => (await ws.api<ApiPage<Invitation>>("GET", `/v1/workspaces/${ws.name}/invitations`)).items;
const memberOf = async (ws: Workspace, email: string) => (await ws.api<ApiPage<Member>>("GET", `/v1/workspaces/${ws.name}/members`)).items.find((m) => m.email === email)!;
const roleOf = async (ws: Workspace, name: string) => (await ws.api<{ items: Role[] }>("GET", `/v1/workspaces/${ws.name}/roles`)).items.find((r) => r.name === name);

describe("dashboard flows", { timeout: 120_000 }, () => {
  it("custom roles: create (name checked beside the field), edit, and delete only once nobody holds it", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.join("rita@acme.io", "developer");
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Roles", "roles");

      await page.getByRole("button", { name: "New custom role" }).click();
      const dialog = page.getByRole("dialog", { name: "New custom role" });
      await dialog.getByLabel("Name").fill("Release Manager");
      await dialog.getByLabel("Description").fill("Ships services to production");
      // Every permission may be given but the owner-only ones.
      expect(await dialog.getByLabel(/^billing:manage/).isDisabled()).toBe(true);
      expect(await dialog.getByLabel(/^ownership:transfer/).isDisabled()).toBe(true);
      expect(await dialog.locator("input[type=checkbox]:not([disabled])").count()).toBe(11);
      for (const p of ["deployments:create", "logs:read", "environments:configure"]) await dialog.getByLabel(new RegExp(`^${p}`)).check();
      await dialog.getByRole("button", { name: "Create role" }).click();
      await dialog.locator(".field-error", { hasText: "lower-case letters, digits and dashes" }).waitFor();
      expect(await dialog.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
      await dialog.getByLabel("Name").fill("release-manager");
      await dialog.getByRole("button", { name: "Create role" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.locator("table.matrix thead th", { hasText: "release-manager" }).waitFor();
      expect((await roleOf(ws, "release-manager"))?.permissions).toEqual(["deployments:create", "logs:read", "environments:configure"]);
      expect(await focusedLabel(page)).toBe("Edit the role release-manager");

      await page.getByRole("button", { name: "Edit the role release-manager" }).click();
      const edit = page.getByRole("dialog", { name: "Edit the role release-manager" });
      expect(await edit.getByLabel("Name").getAttribute("readonly")).toBe("");
      await edit.getByLabel(/^domains:manage/).check();
      await edit.getByRole("button", { name: "Save role" }).click();
      await edit.waitFor({ state: "detached" });
      expect((await roleOf(ws, "release-manager"))?.permissions).toContain("domains:manage");

      // Held by rita: the dialog lists her and offers no Delete (the API's 409 rule).
      const rita = await memberOf(ws, "rita@acme.io");
      await ws.api("PATCH", `/v1/workspaces/${ws.name}/members/${rita.id}`, { role: "release-manager" });
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.locator('[data-role="release-manager"] .holders', { hasText: "held by 1 member(s)" }).waitFor();
      await page.getByRole("button", { name: "Delete the role release-manager" }).click();
      const held = page.getByRole("dialog", { name: "Delete the role release-manager?" });
      await held.getByText("is still held, so it cannot be deleted").waitFor();
      expect(await held.getByRole("listitem").allTextContents()).toEqual(["rita@acme.io"]);
      expect(await held.getByRole("button", { name: "Delete role" }).count()).toBe(0);
      await screenshot(page, "role-delete-held");
      await held.getByRole("button", { name: "Close" }).click();

      await ws.api("PATCH", `/v1/workspaces/${ws.name}/members/${rita.id}`, { role: "developer" });
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.locator('[data-role="release-manager"] .holders', { hasText: "held by 0 member(s)" }).waitFor();
      await page.getByRole("button", { name: "Delete the role release-manager" }).click();
      await page.getByRole("dialog", { name: "Delete the role release-manager?" }).getByRole("button", { name: "Delete role" }).click();
      await page.locator("table.matrix thead th", { hasText: "release-manager" }).waitFor({ state: "detached" });
      expect(await roleOf(ws, "release-manager")).toBeUndefined();
    });
  });

  it("Needs attention: several invitations selected (kept in the URL across a reload) and revoked together; a stale one is reported in an alert", async () => {
    await withRun(async ({ ws, page }) => {
      for (const name of ["ann", "ben", "cat", "dov", "eli"]) {
        await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: `${name}@acme.io`, role: "developer" });
      }
      await ws.join("joined@acme.io", "developer");
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Invitations", "invitations");
      await row(page, "ann@acme.io").waitFor();
      // Accepted invitations need no attention: not listed by default.
      expect(await row(page, "joined@acme.io").count()).toBe(0);
      for (const name of ["ann", "ben", "cat"]) await page.getByLabel(`Select invitation to ${name}@acme.io`).check();
      await page.getByText("3 selected").waitFor();
      expect(new URL(page.url()).hash).toMatch(/sel=[^&]+%2C[^&]+%2C|sel=[^&]+,[^&]+,/);

      await page.reload();
      await page.locator('.view[data-page="invitations"]').waitFor();
      await page.getByText("3 selected").waitFor();
      expect(await page.getByLabel("Select invitation to ben@acme.io").isChecked()).toBe(true);

      await page.getByRole("button", { name: "Revoke selected" }).click();
      const confirm = page.getByRole("dialog", { name: "Revoke the invitations of 3 people?" });
      expect(await confirm.locator("li[data-email]").evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.email))).toEqual(["ann@acme.io", "ben@acme.io", "cat@acme.io"]);
      expect(await confirm.getByRole("listitem").first().textContent()).toMatch(/Pending\s+sent just now/);
      await screenshot(page, "bulk-revoke-confirm");

      // Someone else revokes cat while the confirmation is open (live updates never redraw under a dialog): the page's copy is stale.
      const cat = (await invitationsOf(ws)).find((i) => i.email === "cat@acme.io")!;
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations/${cat.id}/revoke`);
      await confirm.getByRole("button", { name: "Revoke all" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Revoked 2 invitation(s). 1 failed." });
      await alert.waitFor();
      expect(await alert.textContent()).toContain("cat@acme.io: Someone else changed this");
      await row(page, "ann@acme.io").waitFor({ state: "detached" });
      expect(await row(page, "dov@acme.io").count()).toBe(1);
      expect(page.url()).not.toContain("sel=");
      const statuses = Object.fromEntries((await invitationsOf(ws)).map((i) => [i.email, i.status]));
      expect(statuses).toMatchObject({ "ann@acme.io": "revoked", "ben@acme.io": "revoked", "cat@acme.io": "revoked", "dov@acme.io": "pending", "eli@acme.io": "pending" });
    });
  });

  it("live: an invitation expiring while the page is open turns Expired, and a change made elsewhere appears at the next poll, without a reload", async () => {
    await withRun(
      async ({ ws, page }) => {
        await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "soon@acme.io", role: "developer" });
        await signIn(page, ws, ws.ownerToken);
        await goTo(page, "Give account access", "invite");
        await page.getByText("its link works for 1 hour unless resent").waitFor();
        await goTo(page, "Invitations", "invitations");
        const soon = row(page, "soon@acme.io");
        await soon.locator(".badge", { hasText: "Pending" }).waitFor();
        expect(await soon.locator('[data-label="Expires"] time').evaluate((t) => t.childNodes[0]?.textContent)).toMatch(/^in (59|60) min$/);
        await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

        // Both clocks move past the expiry: the row turns Expired on its own.
        ws.advance(61 * MIN_MS);
        await page.clock.fastForward(61 * MIN_MS);
        await soon.locator(".badge", { hasText: "Expired" }).waitFor();
        expect(await soon.getByRole("button", { name: "Edit invitation to soon@acme.io" }).count()).toBe(0);
        expect(await soon.getByRole("button", { name: "Resend invitation to soon@acme.io" }).count()).toBe(1);
        await screenshot(page, "invitations-live-expired");

        // A change made elsewhere (here, the API) shows up at the next revision poll.
        await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "cli@acme.io", role: "developer" });
        await page.clock.fastForward(31_000);
        await row(page, "cli@acme.io").locator(".badge", { hasText: "Pending" }).waitFor();
        expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
        await page.locator("#live", { hasText: "Updated just now" }).waitFor();
      },
      { invitationTtlMs: 60 * MIN_MS, before: (page) => page.clock.install() },
    );
  });

  it("Manage: a 412 reloads the member, shows what changed since the dialog opened, and the next Save applies; focus returns to the row", async () => {
    await withRun(async ({ ws, page }) => {
      const bob = await ws.join("bob@acme.io", "developer", ["logs:read"]);
      await signIn(page, ws, ws.ownerToken);
      await page.getByRole("button", { name: "Manage bob@acme.io" }).click();
      const manage = page.getByRole("dialog", { name: "Manage access of bob@acme.io" });
      // Role-given permissions are ticked, disabled and say so; the redundant extra is flagged.
      expect(await manage.getByLabel(/^deployments:create/).isChecked()).toBe(true);
      expect(await manage.getByLabel(/^deployments:create/).isDisabled()).toBe(true);
      expect(await manage.locator("label", { hasText: "deployments:create" }).textContent()).toContain("(from role)");
      await manage.getByText("saving drops it: logs:read").waitFor();

      // "Nothing changed" goes away as soon as something changes.
      await ws.api("PATCH", `/v1/workspaces/${ws.name}/members/${bob.id}`, { role: "developer", permissions: [] });
      await manage.getByLabel(/^domains:manage/).check();
      await manage.getByLabel(/^domains:manage/).uncheck();
      await manage.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("dialog", { name: "Change access of bob@acme.io?" }).getByRole("button", { name: "Confirm change" }).click();
      await manage.getByText("Someone else changed this member while the dialog was open.").waitFor();
      expect(await manage.locator(".changed li").allTextContents()).toEqual(["Extra permissions: −logs:read"]);
      await screenshot(page, "manage-conflict");

      await manage.getByRole("button", { name: "Save changes" }).click();
      await manage.getByText("Nothing changed").waitFor();
      await manage.getByLabel(/^domains:manage/).check();
      expect(await manage.locator(".form-error").isHidden()).toBe(true);
      await manage.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("dialog", { name: "Change access of bob@acme.io?" }).getByRole("button", { name: "Confirm change" }).click();
      await manage.waitFor({ state: "detached" });
      expect((await memberOf(ws, "bob@acme.io")).permissions).toEqual(["domains:manage"]);
      await row(page, "bob@acme.io").locator(".chip", { hasText: "domains:manage" }).waitFor();
      expect(await focusedLabel(page)).toBe("Manage bob@acme.io");
    });
  });

  it("Access history: one person filter matches part of either side; each row links to its person's history", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.join("heidi.klum@acme.io", "account-admin");
      await ws.join("bob@acme.io", "developer");
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "friend@acme.io", role: "account-admin" }, ws.tokenFor("heidi.klum@acme.io"));
      await signIn(page, ws, ws.ownerToken);

      await page.getByRole("link", { name: "Access history of heidi.klum@acme.io" }).click();
      await page.locator('.view[data-page="history"]').waitFor();
      expect(await page.getByLabel("Person").inputValue()).toBe("heidi.klum@acme.io");
      const events = page.locator("tbody tr[data-action]");
      await events.first().waitFor();
      const sides = async () => (await events.evaluateAll((rows) => rows.map((r) => `${r.querySelector('[data-label="Done by"]')?.textContent} → ${r.querySelector('[data-label="Done to"]')?.textContent}`)));
      expect(await sides()).toEqual([
        "heidi.klum@acme.io → friend@acme.io",
        "heidi.klum@acme.io → heidi.klum@acme.io",
        "founder@acme.io → heidi.klum@acme.io",
      ]);

      await page.getByLabel("Person").fill("HEIDI");
      await page.getByLabel("Person").press("Enter");
      await page.waitForFunction(() => location.hash.includes("person=HEIDI"));
      expect((await sides()).length).toBe(3);
      expect(await page.locator("#history-people option").evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toContain("heidi.klum@acme.io");
      await page.getByLabel("Person").fill("bob");
      await page.getByLabel("Person").press("Enter");
      await page.locator('tbody tr [data-label="Done to"]', { hasText: "heidi" }).first().waitFor({ state: "detached" });
      expect(await sides()).toEqual(["bob@acme.io → bob@acme.io", "founder@acme.io → bob@acme.io"]);
      expect(await events.first().locator('[data-label="Action"]').textContent()).toBe("Invitation accepted");
      expect(await events.first().locator('[data-label="Change"] li').count()).toBe(0);
      // A name in the table narrows the history to that person.
      await page.locator('tbody [data-label="Done by"] a', { hasText: "founder@acme.io" }).first().click();
      await page.waitForFunction(() => location.hash.includes("person=founder%40acme.io") || location.hash.includes("person=founder@acme.io"));
      await page.locator('tbody [data-label="Done to"]', { hasText: "heidi.klum@acme.io" }).first().waitFor();
      expect(await page.getByLabel("Person").inputValue()).toBe("founder@acme.io");
      await screenshot(page, "history-person");
    });
  });

  it("invite: a pending e-mail gets a plain sentence and a Resend button; a pending invitation's role and permissions can be edited", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "ann@acme.io", role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Give account access", "invite");
      await page.getByLabel("E-mail", { exact: true }).fill(" Ann@acme.io ");
      await page.getByRole("button", { name: "Send invitation" }).click();
      const error = page.locator(".field-error:not([hidden])");
      await error.getByText("Ann@acme.io already has a pending invitation. Resend the existing invitation instead?").waitFor();
      expect(await error.textContent()).not.toMatch(/inv_/);
      await error.getByRole("button", { name: "Resend the existing invitation" }).click();
      await page.locator('.view[data-page="invitations"]').waitFor();
      await page.getByRole("status").getByText("Sent the invitation to ann@acme.io again.").waitFor();
      expect((await invitationsOf(ws)).find((i) => i.email === "ann@acme.io")?.sendCount).toBe(2);

      await page.getByRole("button", { name: "Edit invitation to ann@acme.io" }).click();
      const edit = page.getByRole("dialog", { name: "Edit the invitation to ann@acme.io" });
      await edit.getByLabel("Role", { exact: true }).selectOption("account-admin");
      await edit.getByLabel(/^config:read/).check();
      // Changed elsewhere while the dialog is open: the 412 shows what changed, the next Save applies.
      const stale = (await invitationsOf(ws)).find((i) => i.email === "ann@acme.io")!;
      await ws.api("PATCH", `/v1/workspaces/${ws.name}/invitations/${stale.id}`, { role: "developer", permissions: ["logs:read"] });
      await edit.getByRole("button", { name: "Save changes" }).click();
      await edit.getByText("Someone else changed this invitation while the dialog was open.").waitFor();
      expect(await edit.locator(".changed li").allTextContents()).toEqual(["Extra permissions: +logs:read"]);
      await edit.getByRole("button", { name: "Save changes" }).click();
      await edit.waitFor({ state: "detached" });
      await row(page, "ann@acme.io").locator(".role", { hasText: "account-admin" }).waitFor();
      expect(await focusedLabel(page)).toBe("Edit invitation to ann@acme.io");
      const ann = (await invitationsOf(ws)).find((i) => i.email === "ann@acme.io")!;
      expect([ann.role, ann.permissions]).toEqual(["account-admin", ["config:read"]]);
    });
  });

  it("grant rule: an account-admin is offered every role and every permission but the owner-only ones", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.api("PUT", `/v1/workspaces/${ws.name}/roles/qa`, { description: "Quality", permissions: ["logs:read"] });
      await ws.join("admin@acme.io", "account-admin");
      await signIn(page, ws, ws.tokenFor("admin@acme.io"));
      await goTo(page, "Give account access", "invite");
      expect(await page.getByLabel("Role", { exact: true }).locator("option").allTextContents()).toEqual(["account-admin", "developer", "qa (custom)"]);
      await page.getByLabel("Role", { exact: true }).selectOption("qa");
      const enabled = await page.locator("fieldset.permissions input:not([disabled])").evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
      // account-admin lacks deployments:create and config:read, yet may grant them.
      expect(enabled).toEqual(["billing:read", "access:manage", "resources:manage", "deployments:read", "deployments:create", "settings:manage", "infrastructure:configure", "domains:manage", "config:read", "environments:configure"]);
      expect(await page.locator("label", { hasText: "logs:read" }).textContent()).toContain("(from role)");
      expect(await page.locator("label", { hasText: "billing:manage" }).textContent()).toContain("(owner only)");
      expect(await page.getByText("you do not hold it").count()).toBe(0);
    });
  });

  it("sorting: a column header sorts (again: reverses), says so with aria-sort, and the order survives a reload through the URL", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.join("zed@acme.io", "account-admin");
      await ws.join("amy@acme.io", "developer");
      await ws.join("kim@acme.io", "account-admin");
      await ws.join("zoe@acme.io", "developer");
      await signIn(page, ws, ws.ownerToken);
      const emails = () => page.locator("tbody tr[data-email]").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.email));
      expect(await emails()).toEqual(["founder@acme.io", "amy@acme.io", "kim@acme.io", "zed@acme.io", "zoe@acme.io"]);
      await page.getByRole("button", { name: /^Role/ }).click();
      await page.waitForFunction(() => location.hash.includes("sort=role"));
      expect(await emails()).toEqual(["founder@acme.io", "kim@acme.io", "zed@acme.io", "amy@acme.io", "zoe@acme.io"]);
      expect(await page.getByRole("columnheader", { name: /^Role/ }).getAttribute("aria-sort")).toBe("ascending");
      expect(await focusedLabel(page)).toMatch(/^Role/);
      await page.getByRole("button", { name: /^Role/ }).click();
      await page.waitForFunction(() => location.hash.includes("dir=desc"));
      const descending = ["founder@acme.io", "amy@acme.io", "zoe@acme.io", "kim@acme.io", "zed@acme.io"];
      expect(await emails()).toEqual(descending);
      await page.reload();
      await page.locator('.view[data-page="members"]').waitFor();
      expect(await page.getByRole("columnheader", { name: /^Role/ }).getAttribute("aria-sort")).toBe("descending");
      expect(await emails()).toEqual(descending);
    });
  });
});
