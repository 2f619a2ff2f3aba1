import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Invitation, Member, Page as ApiPage } from "../../schema/api.js";
import { goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * Sponsors in the dashboard, in headless Chromium against the real server: removing an
 * admin lists the open invitations it sponsors in the confirmation and offers both
 * choices (transfer them to me, or revoke them); a demotion that takes access:manage from
 * a sponsor asks the same before anything changes. Nothing is revoked that was not chosen.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function withDashboard(body: (ws: Workspace, page: Page) => Promise<void>): Promise<void> {
  const ws = await startWorkspace();
  const { context, page, errors } = await openPage(browser);
  try {
    await body(ws, page);
    expect(errors, "uncaught errors in the page").toEqual([]);
  } finally {
    await context.close();
    await ws.close();
  }
}

const row = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);
const invitationsOf = async (ws: Workspace) => (await ws.api<ApiPage<Invitation>>("GET", `/v1/workspaces/${ws.name}/invitations`)).items.filter((i) => i.status !== "accepted");

/** adminWhoInvites makes `email` an account-admin who has invited `invitees` with its own token. */
async function adminWhoInvites(ws: Workspace, email: string, invitees: string[]): Promise<void> {
  await ws.join(email, "account-admin");
  const token = ws.tokenFor(email);
  for (const invitee of invitees) await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: invitee, role: "developer" }, token);
}

describe("an admin who sponsors invitations", { timeout: 120_000 }, () => {
  it("removing it: the confirmation lists its invitations and offers transfer or revoke; transfer keeps them valid", async () => {
    await withDashboard(async (ws, page) => {
      await adminWhoInvites(ws, "carol@acme.io", ["gina@acme.io", "hank@acme.io"]);
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Members", "members");
      await page.getByRole("button", { name: "Remove carol@acme.io" }).click();
      const confirm = page.getByRole("dialog", { name: "Remove carol@acme.io?" });
      await confirm.getByText("Invitations they sponsor (2)").waitFor();
      expect(await confirm.locator(".sponsored-list li").allTextContents()).toEqual(["gina@acme.io (developer, pending)", "hank@acme.io (developer, pending)"]);
      expect(await confirm.getByRole("button").allTextContents()).toEqual(["Cancel", "Remove and transfer invitations to me", "Remove and revoke invitations"]);
      await screenshot(page, "remove-sponsor-confirm");
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await confirm.waitFor({ state: "detached" });
      expect((await invitationsOf(ws)).map((i) => [i.email, i.status, i.sponsor])).toEqual([
        ["gina@acme.io", "pending", "carol@acme.io"],
        ["hank@acme.io", "pending", "carol@acme.io"],
      ]);

      await page.getByRole("button", { name: "Remove carol@acme.io" }).click();
      await confirm.getByRole("button", { name: "Remove and transfer invitations to me" }).click();
      await row(page, "carol@acme.io").waitFor({ state: "detached" });
      expect((await invitationsOf(ws)).map((i) => [i.email, i.status, i.sponsor])).toEqual([
        ["gina@acme.io", "pending", "founder@acme.io"],
        ["hank@acme.io", "pending", "founder@acme.io"],
      ]);
    });
  });

  it("demoting it: after the change is confirmed, its invitations are listed with both choices; revoke ends them", async () => {
    await withDashboard(async (ws, page) => {
      await adminWhoInvites(ws, "dave@acme.io", ["ivy@acme.io"]);
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Members", "members");
      await page.getByRole("button", { name: "Manage dave@acme.io" }).click();
      const manage = page.getByRole("dialog", { name: "Manage access of dave@acme.io" });
      await manage.getByLabel("Role", { exact: true }).selectOption("developer");
      await manage.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("dialog", { name: "Change access of dave@acme.io?" }).getByRole("button", { name: "Confirm change" }).click();
      const choose = page.getByRole("dialog", { name: "dave@acme.io sponsors open invitations" });
      expect(await choose.locator(".sponsored-list li").allTextContents()).toEqual(["ivy@acme.io (developer, pending)"]);
      await choose.getByRole("button", { name: "Save and revoke invitations" }).click();
      await row(page, "dave@acme.io").locator(".role", { hasText: "developer" }).waitFor();
      expect((await invitationsOf(ws)).map((i) => [i.email, i.status])).toEqual([["ivy@acme.io", "revoked"]]);
      const dave = (await ws.api<ApiPage<Member>>("GET", `/v1/workspaces/${ws.name}/members`)).items.find((m) => m.email === "dave@acme.io")!;
      expect(dave.role).toBe("developer");
    });
  });
});
