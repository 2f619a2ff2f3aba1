import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { parse } from "yaml";
import type { Invitation, Member, Page as ApiPage } from "../../schema/api.js";
import { goTo, launchBrowser, openPage, runCli, screenshot, signIn, startWorkspace, type Workspace } from "./harness.js";

/**
 * The Access Management dashboard end to end: real headless Chromium against the real
 * reference server, then the real CLI's `export` of the same workspace.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** withDashboard runs `body` with a fresh workspace and browser page, and closes both. */
async function withDashboard(body: (ws: Workspace, page: Page) => Promise<void>, viewport?: { width: number; height: number }): Promise<void> {
  const ws = await startWorkspace();
  const { context, page, errors } = await openPage(browser, viewport?.width, viewport?.height);
  try {
    await body(ws, page);
    expect(errors, "uncaught errors in the page").toEqual([]);
  } finally {
    await context.close();
    await ws.close();
  }
}

const row = (page: Page, email: string) => page.locator(`tr[data-email="${email}"]`);
const countOf = (page: Page, key: string) => page.locator(`[data-count="${key}"] .count-value`).textContent();
const changeButtons = (page: Page) => page.getByRole("button", { name: /^(Manage|Remove|Resend|Revoke)\b/ });

async function exportYaml(ws: Workspace): Promise<{ members?: { email: string; role: string; permissions?: string[] }[] }> {
  const result = await runCli(["export", "--workspace", ws.name], { ANTRYK_API_URL: ws.url, ANTRYK_TOKEN: ws.ownerToken });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout + result.stderr).not.toContain(ws.ownerToken);
  return parse(result.stdout);
}

describe("dashboard", () => {
  it("owner: a bad token is refused, then invite → Pending → accept → member → role change → Access history; export agrees", async () => {
    await withDashboard(async (ws, page) => {
      // Sign-in: a token the API does not accept gets a clear message and is not kept.
      await page.goto(`${ws.url}/?workspace=${ws.name}`);
      await page.getByLabel("API token").fill("ak_this_is_not_a_token");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("#signin-error", { hasText: "That token was not accepted" }).waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      await screenshot(page, "signin-invalid-token");

      await signIn(page, ws, ws.ownerToken);
      expect(await page.evaluate(() => document.cookie)).toBe("");
      await row(page, "founder@acme.io").waitFor();
      expect(await countOf(page, "members")).toBe("1");

      // Give account access: the API's validation error is shown next to the field.
      await goTo(page, "Give account access", "invite");
      const email = page.getByLabel("E-mail", { exact: true });
      await email.fill("not-an-email");
      await page.getByRole("button", { name: "Send invitation" }).click();
      const emailError = page.locator(".field-error:not([hidden])", { hasText: "Enter a valid e-mail address, such as name@example.com." });
      await emailError.waitFor();
      expect(await email.getAttribute("aria-invalid")).toBe("true");
      expect(await email.getAttribute("aria-describedby")).toContain(await emailError.getAttribute("id"));
      await screenshot(page, "invite-validation-error");

      await email.fill("Alice@Acme.io");
      await page.getByLabel("Role", { exact: true }).selectOption("developer");
      await page.getByLabel("domains:manage").check();
      await page.getByRole("button", { name: "Send invitation" }).click();
      await page.locator('.view[data-page="invitations"]').waitFor();
      await row(page, "alice@acme.io").locator(".badge", { hasText: "Pending" }).waitFor();
      await page.getByRole("button", { name: "alice@acme.io", exact: true }).click();
      expect(await page.locator('tr.detail [data-fact="sends"]').textContent()).toBe("1");
      await screenshot(page, "invitations");

      // The invitee accepts from the e-mail (the dev outbox); the member shows up.
      await ws.acceptFromOutbox("alice@acme.io");
      await goTo(page, "Members", "members");
      await row(page, "alice@acme.io").locator(".role", { hasText: "developer" }).waitFor();
      expect(await countOf(page, "members")).toBe("2");
      expect(await countOf(page, "pending")).toBe("0");


      // Filters: by text and by role.
      await page.getByLabel("Search").fill("zzz");
      await page.getByText("No member matches these filters.").waitFor();
      await page.getByLabel("Search").fill("");
      await page.getByLabel("Role", { exact: true }).selectOption("developer");
      await row(page, "founder@acme.io").waitFor({ state: "detached" });
      expect(await page.locator("tbody tr[data-email]").count()).toBe(1);
      await page.getByLabel("Role", { exact: true }).selectOption("");

      // Effective permissions on expand.
      await page.getByRole("button", { name: "alice@acme.io", exact: true }).click();
      const detail = page.locator("tr.detail");
      await detail.waitFor();
      expect(await detail.textContent()).toContain("deployments:create");
      expect(await detail.textContent()).toContain("domains:manage");
      expect(await detail.textContent()).toContain("Invited by founder@acme.io.");
      expect(await page.getByRole("button", { name: "alice@acme.io", exact: true }).getAttribute("aria-expanded")).toBe("true");
      await screenshot(page, "members");

      // Manage access: change the role, with a confirmation that names the change.
      await page.getByRole("button", { name: "Manage alice@acme.io" }).click();
      const manage = page.getByRole("dialog", { name: "Manage access of alice@acme.io" });
      await manage.getByLabel("Role", { exact: true }).selectOption("account-admin");
      // domains:manage is now given by the role: ticked, disabled, and the extra grant flagged as redundant.
      expect(await manage.getByLabel(/^domains:manage/).isDisabled()).toBe(true);
      expect(await manage.getByLabel(/^domains:manage/).isChecked()).toBe(true);
      await manage.getByText("saving drops it: domains:manage").waitFor();
      await manage.getByRole("button", { name: "Save changes" }).click();
      const confirm = page.getByRole("dialog", { name: "Change access of alice@acme.io?" });
      await confirm.getByText("Role: developer → account-admin.").waitFor();
      expect(await confirm.textContent()).toMatch(/Gains:.*access:manage/);
      await screenshot(page, "manage-confirm");
      await confirm.getByRole("button", { name: "Confirm change" }).click();
      await row(page, "alice@acme.io").locator(".role", { hasText: "account-admin" }).waitFor();
      expect(await countOf(page, "admins")).toBe("2");
      expect(await page.getByRole("dialog").count()).toBe(0);

      // Access history: the change is there, newest first, and the filters narrow it.
      await goTo(page, "Access history", "history");
      const events = page.locator("tbody tr[data-action]");
      await events.first().waitFor();
      expect(await events.first().getAttribute("data-action")).toBe("member.updated");
      expect(await events.first().textContent()).toContain("Role: developer → account-admin");
      expect(await events.first().textContent()).toContain("Extra permissions: −domains:manage");
      expect(await events.first().locator('[data-label="Done to"]').textContent()).toBe("alice@acme.io");
      // The change was made here, and the server recorded it so (X-Antryk-Client: dashboard).
      expect(await events.first().locator('[data-label="Through"]').textContent()).toBe("Dashboard");
      await screenshot(page, "history");
      await page.getByLabel("Action").selectOption("invitation.created");
      await page.locator('tbody tr[data-action="member.updated"]').waitFor({ state: "detached" });
      expect(await events.count()).toBe(1);
      await page.getByLabel("Action").selectOption("");
      await page.getByLabel("Person").fill("nobody@acme.io");
      await page.getByText("No event matches these filters.").waitFor();

      // Roles × permissions.
      await goTo(page, "Roles", "roles");
      const totals = await page.locator("tr.totals td").allTextContents();
      expect(totals).toEqual(["13", "8", "5"]);
      await screenshot(page, "roles");

      // A narrow window: no horizontal scrolling on the members page.
      await goTo(page, "Members", "members");
      await page.setViewportSize({ width: 390, height: 844 });
      await row(page, "alice@acme.io").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, "members-narrow");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

      // The CLI's export of the same workspace reflects the clicks.
      const exported = await exportYaml(ws);
      expect(exported.members).toEqual([{ email: "alice@acme.io", role: "account-admin" }]);
    });
  });

  it("owner: removing a member and revoking an invitation each ask first; Cancel changes nothing", async () => {
    await withDashboard(async (ws, page) => {
      await ws.api("PUT", `/v1/workspaces/${ws.name}/roles/release-manager`, {
        description: "Ships services to production",
        permissions: ["deployments:create", "deployments:read", "logs:read", "environments:configure"],
      });
      await ws.join("ops@acme.io", "account-admin");
      await ws.join("bob@acme.io", "developer", ["environments:configure"]);
      await ws.join("rita@acme.io", "release-manager");
      await ws.join("carol@acme.io", "developer");
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "dan@acme.io", role: "developer" });
      await signIn(page, ws, ws.ownerToken);
      await row(page, "rita@acme.io").locator(".role", { hasText: "release-manager" }).waitFor();
      expect(await countOf(page, "members")).toBe("5");
      expect(await countOf(page, "admins")).toBe("2");
      expect(await countOf(page, "pending")).toBe("1");
      await screenshot(page, "members-team");

      // Keyboard: expand with Enter, open Manage with Enter, Escape closes and focus returns.
      const bobToggle = page.getByRole("button", { name: "bob@acme.io", exact: true });
      await bobToggle.focus();
      await page.keyboard.press("Enter");
      await page.locator("tr.detail", { hasText: "environments:configure" }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("bob@acme.io");
      await page.getByRole("button", { name: "Manage bob@acme.io" }).focus();
      await page.keyboard.press("Enter");
      const manage = page.getByRole("dialog", { name: "Manage access of bob@acme.io" });
      await manage.waitFor();
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SELECT");
      await page.keyboard.press("Escape");
      await manage.waitFor({ state: "detached" });
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Manage bob@acme.io");

      await page.getByRole("button", { name: "Remove carol@acme.io" }).click();
      const confirm = page.getByRole("dialog", { name: "Remove carol@acme.io?" });
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await confirm.waitFor({ state: "detached" });
      const members = await ws.api<ApiPage<Member>>("GET", `/v1/workspaces/${ws.name}/members`);
      expect(members.items.map((m) => m.email)).toContain("carol@acme.io");

      await page.getByRole("button", { name: "Remove carol@acme.io" }).click();
      await confirm.getByRole("button", { name: "Remove member" }).click();
      await row(page, "carol@acme.io").waitFor({ state: "detached" });
      expect(await countOf(page, "members")).toBe("4");

      await goTo(page, "Invitations", "invitations");
      await page.getByRole("button", { name: "Revoke invitation to dan@acme.io" }).click();
      await page.getByRole("dialog", { name: "Revoke the invitation to dan@acme.io?" }).getByRole("button", { name: "Revoke invitation" }).click();
      // A revoked invitation leaves "Needs attention"; "All" still lists it, with no action.
      await row(page, "dan@acme.io").waitFor({ state: "detached" });
      await page.getByLabel("Show", { exact: true }).selectOption("all");
      await row(page, "dan@acme.io").locator(".badge", { hasText: "Revoked" }).waitFor();
      expect(await row(page, "dan@acme.io").getByRole("button", { name: /Edit|Resend|Revoke/ }).count()).toBe(0);
      expect(page.url()).toContain("view=all");

      // The matrix shows the custom role beside the built-in ones.
      await goTo(page, "Roles", "roles");
      expect(await page.locator("table.matrix thead th").allTextContents()).toEqual([
        "Permission",
        "ownerbuilt-in",
        "account-adminbuilt-in",
        "developerbuilt-in",
        "release-managercustom",
      ]);
      await screenshot(page, "roles-custom");

      const exported = await exportYaml(ws);
      expect((exported.members ?? []).map((m) => m.email).sort()).toEqual(["bob@acme.io", "ops@acme.io", "rita@acme.io"]);
    });
  });

  it("developer: sees members and invitations but no change action; a revoked session is signed out", async () => {
    await withDashboard(async (ws, page) => {
      await ws.join("dev@acme.io", "developer");
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "pending@acme.io", role: "developer" });
      await signIn(page, ws, ws.tokenFor("dev@acme.io"));

      await row(page, "dev@acme.io").waitFor();
      await row(page, "founder@acme.io").waitFor();
      expect(await changeButtons(page).count()).toBe(0);
      expect(await page.getByRole("columnheader", { name: "Actions" }).count()).toBe(0);
      const nav = page.getByRole("navigation", { name: "Sections" });
      expect(await nav.getByRole("link").allTextContents()).toEqual(["Members", "Invitations", "Roles", "Review"]);
      await screenshot(page, "members-developer");

      await goTo(page, "Invitations", "invitations");
      await row(page, "pending@acme.io").locator(".badge", { hasText: "Pending" }).waitFor();
      expect(await changeButtons(page).count()).toBe(0);
      expect(await page.getByRole("link", { name: "Give account access" }).count()).toBe(0);

      // No History tab; a link to it says why it shows nothing.
      await page.evaluate(() => {
        location.hash = "#/history";
      });
      await page.getByText("Reviewing access history needs the access:manage permission").waitFor();
      await page.evaluate(() => {
        location.hash = "#/invite";
      });
      await page.getByText("Inviting people needs the access:manage permission").waitFor();
      expect(await page.locator("form input[type=email]").count()).toBe(0);

      // The owner removes the developer: the next page load finds the token refused.
      const dev = (await ws.api<ApiPage<Member>>("GET", `/v1/workspaces/${ws.name}/members`)).items.find((m) => m.email === "dev@acme.io")!;
      await ws.api("DELETE", `/v1/workspaces/${ws.name}/members/${dev.id}`);
      await page.evaluate(() => {
        location.hash = "#/members";
      });
      await page.locator("#signin-error", { hasText: "no longer accepted" }).waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    });
  });

  it("Access history is paged, newest first, and filterable by the person acted on", async () => {
    await withDashboard(async (ws, page) => {
      for (let i = 1; i <= 30; i += 1) {
        await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: `user${i}@acme.io`, role: "developer" });
      }
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Access history", "history");
      const events = page.locator("tbody tr[data-action]");
      const doneTo = () => events.locator('[data-label="Done to"]').allTextContents();
      await events.first().waitFor();
      expect(await events.count()).toBe(25);
      expect((await doneTo())[0]).toBe("user30@acme.io");

      await page.getByRole("button", { name: "Older →" }).click();
      await page.getByText("Page 2").waitFor();
      expect(await doneTo()).toEqual(["user5@acme.io", "user4@acme.io", "user3@acme.io", "user2@acme.io", "user1@acme.io", "acme"]);
      expect(await page.getByRole("button", { name: "Older →" }).isDisabled()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("← Newer");
      await page.getByRole("button", { name: "← Newer" }).click();
      await page.getByText("Page 1").waitFor();
      expect((await doneTo())[0]).toBe("user30@acme.io");

      await page.getByLabel("Person").fill("USER7@acme.io");
      await page.getByLabel("Person").press("Enter");
      await page.locator('tbody tr[data-action] [data-label="Done to"]', { hasText: "user30@acme.io" }).waitFor({ state: "detached" });
      expect(await doneTo()).toEqual(["user7@acme.io"]);
    });
  });

  it("an expired invitation shows Expired and can be resent, after which it can be accepted", async () => {
    await withDashboard(async (ws, page) => {
      await ws.api<Invitation>("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "late@acme.io", role: "developer" });
      ws.advance(8 * DAY_MS);
      await signIn(page, ws, ws.ownerToken);
      expect(await countOf(page, "pending")).toBe("0");

      await goTo(page, "Invitations", "invitations");
      const late = row(page, "late@acme.io");
      await late.locator(".badge", { hasText: "Expired" }).waitFor();
      expect(await late.getByRole("button", { name: "Resend invitation to late@acme.io" }).count()).toBe(1);
      await screenshot(page, "invitations-expired");

      await late.getByRole("button", { name: "Resend invitation to late@acme.io" }).click();
      await late.locator(".badge", { hasText: "Pending" }).waitFor();
      // Focus comes back to the row acted on.
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Resend invitation to late@acme.io");
      await page.getByRole("button", { name: "late@acme.io", exact: true }).click();
      expect(await page.locator('tr.detail [data-fact="sends"]').textContent()).toBe("2");

      await ws.acceptFromOutbox("late@acme.io");
      await goTo(page, "Members", "members");
      await row(page, "late@acme.io").waitFor();
    });
  });
});
