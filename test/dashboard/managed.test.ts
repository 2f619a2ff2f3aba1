import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { AuditEvent, Member, Page as ApiPage } from "../../schema/api.js";
import { axeSerious, goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace } from "./harness.js";

/**
 * The dashboard and managedBy in headless Chromium against the real server: a "managed by …"
 * label on members, invitations and roles a file or stack manages; the Manage, Remove and
 * role-edit dialogs warn that a change made here is reverted; the Review page's "Not managed
 * by any file" section; a change made here takes no ownership; axe-clean.
 */

const FILE = "antryk-access:acme-prod";
const WARNING = `This person is managed by ${FILE}; a change made here is reverted the next time it is applied or its drift is corrected.`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("dashboard: who manages what", { timeout: 120_000 }, () => {
  it("labels, warns in the dialogs, filters the review, and a change made here leaves the marker as it was", async () => {
    const ws = await startWorkspace("acme", "founder@acme.io");
    const { context, page, errors } = await openPage(browser);
    try {
      const marked = { "x-antryk-manager": FILE };
      const bob = await ws.join("bob@acme.io", "developer");
      await ws.join("carol@acme.io", "developer");
      expect((await ws.request("PATCH", `/v1/workspaces/${ws.name}/members/${bob.id}`, { body: {}, headers: marked })).status).toBe(200);
      expect((await ws.request("POST", `/v1/workspaces/${ws.name}/invitations`, { body: { email: "ivy@acme.io", role: "developer" }, headers: marked })).status).toBe(201);
      expect((await ws.request("PUT", `/v1/workspaces/${ws.name}/roles/oncall`, { body: { permissions: ["logs:read"] }, headers: marked })).status).toBe(201);

      await signIn(page, ws, ws.ownerToken);
      const bobRow = page.locator('tr[data-email="bob@acme.io"]');
      expect(await bobRow.locator(".managed-by").textContent()).toBe(` managed by ${FILE}`);
      expect(await page.locator('tr[data-email="carol@acme.io"] .managed-by').count()).toBe(0);
      expect(await axeSerious(page)).toEqual([]);

      await page.getByRole("button", { name: "Manage bob@acme.io" }).click();
      const manage = page.getByRole("dialog", { name: "Manage access of bob@acme.io" });
      expect(await manage.locator(".managed-warning").textContent()).toBe(WARNING);
      expect(await axeSerious(page, "dialog[open]")).toEqual([]);
      await screenshot(page, "managed-warning");
      // a hand change through the dashboard: made, but it takes no ownership
      await manage.getByRole("combobox", { name: "Role" }).selectOption("account-admin");
      await manage.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("dialog", { name: "Change access of bob@acme.io?" }).getByRole("button", { name: "Confirm change" }).click();
      await manage.waitFor({ state: "detached" });
      const after = (await ws.api<ApiPage<Member>>("GET", `/v1/workspaces/${ws.name}/members`)).items.find((m) => m.email === "bob@acme.io")!;
      expect(after).toMatchObject({ role: "account-admin", managedBy: FILE });
      const events = (await ws.api<ApiPage<AuditEvent>>("GET", `/v1/workspaces/${ws.name}/audit?target=bob%40acme.io`)).items;
      expect(events[0]).toMatchObject({ action: "member.updated", client: "dashboard", manager: null });

      await page.getByRole("button", { name: "Remove bob@acme.io" }).click();
      const remove = page.getByRole("dialog", { name: "Remove bob@acme.io?" });
      expect(await remove.locator(".managed-warning").textContent()).toBe(WARNING);
      await remove.getByRole("button", { name: "Cancel" }).click();

      await goTo(page, "Invitations", "invitations");
      expect(await page.locator('tr[data-email="ivy@acme.io"] .managed-by').textContent()).toBe(` managed by ${FILE}`);

      await goTo(page, "Roles", "roles");
      expect(await page.locator('li[data-role="oncall"] .managed-by').textContent()).toBe(` managed by ${FILE}`);
      await page.getByRole("button", { name: "Edit the role oncall" }).click();
      const editor = page.getByRole("dialog", { name: "Edit the role oncall" });
      expect(await editor.locator(".managed-warning").textContent()).toBe(WARNING.replace("This person", "This role"));
      await editor.getByRole("button", { name: "Cancel" }).click();

      await goTo(page, "Review", "review");
      expect(await page.locator('[data-count="not-managed"] .count-value').textContent()).toBe("1");
      const unmanaged = page.locator('section[aria-labelledby="review-not-managed"]');
      expect(await unmanaged.locator("tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.email))).toEqual(["carol@acme.io"]);
      expect(await axeSerious(page)).toEqual([]);
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
