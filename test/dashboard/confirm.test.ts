import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import type { Role } from "../../schema/api.js";
import { goTo, launchBrowser, openPage, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * An admin can't misfire: a role edit is confirmed naming every holder and what each gains,
 * nothing is sent before the confirmation, and a save in flight can't be sent twice.
 */

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

async function withRun(body: (run: Run) => Promise<void>): Promise<void> {
  const ws = await startWorkspace();
  const { context, page, errors } = await openPage(browser);
  try {
    await body({ ws, page });
    expect(errors, "uncaught errors in the page").toEqual([]);
  } finally {
    await context.close();
    await ws.close();
  }
}

const roleOf = async (ws: Workspace, name: string) => (await ws.api<{ items: Role[] }>("GET", `/v1/workspaces/${ws.name}/roles`)).items.find((r) => r.name === name)!;

/** financeViewers makes finance-viewer (billing:read) held by two members and one pending invitation. */
async function financeViewers(ws: Workspace): Promise<void> {
  await ws.api("PUT", `/v1/workspaces/${ws.name}/roles/finance-viewer`, { description: "Reads billing", permissions: ["billing:read"] });
  await ws.join("fay@acme.io", "finance-viewer");
  await ws.join("gus@acme.io", "finance-viewer", ["logs:read"]);
  await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "hal@acme.io", role: "finance-viewer" });
}

describe("role edits are confirmed", { timeout: 120_000 }, () => {
  it("names every holder (members and pending invitations) and the high-risk gain; Cancel saves nothing, Confirm saves", async () => {
    await withRun(async ({ ws, page }) => {
      await financeViewers(ws);
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Roles", "roles");
      const puts: string[] = [];
      page.on("request", (r) => r.method() === "PUT" && puts.push(r.url()));

      await page.getByRole("button", { name: "Edit the role finance-viewer" }).click();
      const edit = page.getByRole("dialog", { name: "Edit the role finance-viewer" });
      // The editor itself says who holds the role.
      await edit.getByText("Held by 2 member(s) and 1 pending invitation(s).").click();
      expect(await edit.getByRole("region", { name: "Members holding the role" }).getByRole("listitem").allTextContents()).toEqual(["fay@acme.io", "gus@acme.io"]);
      expect(await edit.getByRole("region", { name: "Pending invitations for the role" }).getByRole("listitem").allTextContents()).toEqual(["hal@acme.io"]);
      await edit.getByLabel(/^access:manage/).check();
      await edit.getByRole("button", { name: "Save role" }).click();

      const confirm = page.getByRole("dialog", { name: "Change the access of 3 holders of finance-viewer?" });
      await confirm.waitFor();
      const holders = confirm.locator("tr[data-holder]");
      expect(await holders.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.holder))).toEqual(["fay@acme.io", "gus@acme.io", "hal@acme.io"]);
      await confirm.locator('tr[data-holder="hal@acme.io"]', { hasText: "pending invitation" }).waitFor();
      for (const email of ["fay@acme.io", "gus@acme.io", "hal@acme.io"]) {
        const gain = confirm.locator(`tr[data-holder="${email}"] [data-permission="access:manage"]`);
        expect(await gain.textContent()).toContain("high risk");
      }
      await confirm.getByText("High risk:").waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
      expect(puts, "nothing is sent before the confirmation").toEqual([]);

      await confirm.getByRole("button", { name: "Cancel" }).click();
      await confirm.waitFor({ state: "detached" });
      expect(puts).toEqual([]);
      expect((await roleOf(ws, "finance-viewer")).permissions).toEqual(["billing:read"]);

      await edit.getByRole("button", { name: "Save role" }).click();
      await confirm.getByRole("button", { name: "Confirm change" }).click();
      await edit.waitFor({ state: "detached" });
      expect((await roleOf(ws, "finance-viewer")).permissions).toEqual(["billing:read", "access:manage"]);
      expect(puts).toHaveLength(1);
    });
  });
});

describe("a save in flight is sent once", { timeout: 120_000 }, () => {
  it("a double click on a dialog's Save sends one request; while it is in flight the buttons read as disabled", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.api("PUT", `/v1/workspaces/${ws.name}/roles/auditor`, { description: "Reads", permissions: ["logs:read"] });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Roles", "roles");
      const puts: string[] = [];
      page.on("request", (r) => r.method() === "PUT" && puts.push(r.url()));
      // The PUT is held until the test has looked at the dialog in flight.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let arrived!: () => void;
      const sent = new Promise<void>((resolve) => (arrived = resolve));
      await page.route("**/roles/auditor", async (route) => {
        if (route.request().method() !== "PUT") return route.continue();
        arrived();
        await held;
        await route.continue();
      });

      await page.getByRole("button", { name: "Edit the role auditor" }).click();
      const edit = page.getByRole("dialog", { name: "Edit the role auditor" });
      await edit.getByLabel(/^deployments:read/).check();
      await edit.getByRole("button", { name: "Save role" }).dblclick();
      await sent;
      expect(await edit.getByRole("button", { name: "Save role" }).getAttribute("aria-disabled")).toBe("true");
      await edit.getByRole("button", { name: "Save role" }).click({ force: true }); // a third click while in flight: ignored
      release();
      await edit.waitFor({ state: "detached" });
      expect(puts).toHaveLength(1);
      expect((await roleOf(ws, "auditor")).permissions).toEqual(["deployments:read", "logs:read"]);
    });
  });

  it("a double click on a row's Resend sends one request", async () => {
    await withRun(async ({ ws, page }) => {
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "ida@acme.io", role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Invitations", "invitations");
      const resends: string[] = [];
      page.on("request", (r) => r.url().endsWith("/resend") && resends.push(r.url()));
      await page.getByRole("button", { name: "Resend invitation to ida@acme.io" }).dblclick();
      await page.getByText("Sent the invitation to ida@acme.io again.").waitFor();
      await page.locator('.view[data-page="invitations"]').waitFor();
      expect(resends).toHaveLength(1);
    });
  });
});

describe("bulk selection", { timeout: 120_000 }, () => {
  it("Select all takes only what the current view shows (its count in the button), and the confirmation gives each one's status and age", async () => {
    await withRun(async ({ ws, page }) => {
      const DAY = 86_400_000;
      ws.advance(-10 * DAY); // sent ten days ago: expired three days ago (links last seven days)
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "old@acme.io", role: "developer" });
      ws.advance(10 * DAY);
      for (const name of ["ann", "ben"]) await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: `${name}@acme.io`, role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Invitations", "invitations");
      await page.getByRole("button", { name: "Select all 3 shown" }).click();
      await page.getByText("3 selected").waitFor();
      await page.getByRole("button", { name: "Revoke selected" }).click();
      const all = page.getByRole("dialog", { name: "Revoke the invitations of 3 people?" });
      const text = (items: Locator) => items.evaluateAll((els) => els.map((el) => (el.textContent ?? "").replace(/\s+/g, " ").trim()));
      expect(await text(all.locator("li[data-email]"))).toEqual(["old@acme.io Expired sent 10 d ago", "ann@acme.io Pending sent just now", "ben@acme.io Pending sent just now"]);
      await all.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("button", { name: "Unselect all 3 shown" }).click();

      await page.getByLabel("Select invitation to old@acme.io").check();
      await page.getByText("1 selected").waitFor();
      // The view changes to Pending: old@ is not shown, so it is no longer selected, and Select all takes the two shown.
      await page.getByLabel("Show", { exact: true }).selectOption("pending");
      await page.getByRole("button", { name: "Select all 2 shown" }).click();
      await page.getByText("2 selected").waitFor();
      await page.getByRole("button", { name: "Revoke selected" }).click();
      const confirm = page.getByRole("dialog", { name: "Revoke the invitations of 2 people?" });
      expect(await text(confirm.locator("li[data-email]"))).toEqual(["ann@acme.io Pending sent just now", "ben@acme.io Pending sent just now"]);
      await confirm.getByRole("button", { name: "Cancel" }).click();
    });
  });
});

describe("success messages", { timeout: 120_000 }, () => {
  it.each([
    [1280, 800],
    [390, 844],
  ])("at %ipx a permission-only change is reported as such (no role named), and the message covers none of the row's buttons", async (width, height) => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser, width, height);
    try {
      // Enough members before fay's row that it can sit at the bottom of the window.
      for (let n = 1; n <= 12; n += 1) await ws.join(`a${String(n).padStart(2, "0")}@acme.io`, "developer");
      await ws.join("fay@acme.io", "developer");
      await signIn(page, ws, ws.ownerToken);
      await page.getByRole("button", { name: "Manage fay@acme.io" }).click();
      const manage = page.getByRole("dialog", { name: "Manage access of fay@acme.io" });
      await manage.getByLabel(/^billing:read/).check();
      await manage.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("dialog", { name: "Change access of fay@acme.io?" }).getByRole("button", { name: "Confirm change" }).click();
      const toast = page.getByRole("status").filter({ hasText: "Updated fay@acme.io" });
      await toast.waitFor();
      expect(await toast.textContent()).toBe("Updated fay@acme.io: extra permissions +billing:read.");
      await page.locator('tr[data-email="fay@acme.io"]').getByText("billing:read").waitFor();
      for (const button of await page.locator('tr[data-email="fay@acme.io"]').getByRole("button").all()) {
        await button.evaluate((el) => el.scrollIntoView({ block: "end" }));
        const box = (await button.boundingBox())!;
        const shownMessage = (await toast.boundingBox())!;
        const overlaps = box.x < shownMessage.x + shownMessage.width && shownMessage.x < box.x + box.width && box.y < shownMessage.y + shownMessage.height && shownMessage.y < box.y + box.height;
        expect(overlaps, `the message ${JSON.stringify(shownMessage)} covers ${await button.textContent()}`).toBe(false);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
