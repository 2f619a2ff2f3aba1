import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { Member } from "../../schema/api.js";
import { buildReview, CSV_COLUMNS, reviewCsv } from "../../server/dashboard/assets/review.js";
import { goTo, launchBrowser, openPage, screenshot, signIn, startWorkspace } from "./harness.js";
import { permissionCatalog } from "../../schema/catalog.js";

/** The dashboard's Review: built by a pure function (tested in Node), shown and downloaded as CSV in Chromium. */

const NOW = Date.parse("2026-11-30T09:00:00.000Z");
const ROLES = [
  { name: "owner", permissions: ["billing:read", "billing:manage", "access:manage"], builtIn: true },
  { name: "developer", permissions: ["resources:manage", "logs:read"], builtIn: true },
  { name: "account-admin", permissions: ["billing:read", "access:manage", "settings:manage", "infrastructure:configure"], builtIn: true },
];
const member = (email: string, role: string, effectivePermissions: string[], permissions: string[] = []) => ({ id: email, email, role, permissions, effectivePermissions, joinedAt: "2026-11-01T00:00:00.000Z", invitedBy: "founder@acme.io", version: 1 });
const invitation = (email: string, role: string, createdAt: string, expiresAt: string) => ({ id: email, email, role, permissions: [], status: "pending", createdAt, expiresAt, sendCount: 1, lastSentAt: createdAt, invitedBy: "founder@acme.io", version: 1 });

describe("buildReview (dashboard)", () => {
  const review = buildReview({
    members: [member("founder@acme.io", "owner", ["billing:read", "access:manage"]), member("dev@acme.io", "developer", ["resources:manage", "logs:read", "billing:read"], ["billing:read"])],
    invitations: [invitation("old@acme.io", "developer", "2026-11-01T00:00:00.000Z", "2026-12-20T00:00:00.000Z"), invitation("=new@acme.io", "account-admin", "2026-11-29T00:00:00.000Z", "2026-12-06T00:00:00.000Z")],
    roles: ROLES,
    events: [
      { action: "member.updated", target: "dev@acme.io", actor: "admin@acme.io", at: "2026-11-29T10:02:00.000Z", client: "dashboard" },
      { action: "invitation.created", target: "dev@acme.io", actor: "founder@acme.io", at: "2026-11-01T00:00:00.000Z", client: "antryk-access" },
    ],
    catalog: permissionCatalog(),
    now: NOW,
  });

  it("marks high-risk permissions (an invitation's from its role), expiring and stale invitations, the newest change", () => {
    expect(review.highRisk.map((p: any) => [p.email, p.highRisk])).toEqual([
      ["=new@acme.io", ["billing:read", "access:manage", "settings:manage", "infrastructure:configure"]],
      ["dev@acme.io", ["billing:read"]],
      ["founder@acme.io", ["billing:read", "access:manage"]],
    ]);
    expect(review.expiring.map((p: any) => p.email)).toEqual(["=new@acme.io", "old@acme.io"]);
    expect(review.stale.map((p: any) => p.email)).toEqual(["old@acme.io"]);
    expect(review.people.find((p: any) => p.email === "dev@acme.io").lastChange).toMatchObject({ actor: "admin@acme.io", client: "dashboard" });
    expect(review.summary.admins).toBe(2);
  });

  it("takes what is high risk and what makes an admin from the catalog the server serves, not from a copy", () => {
    const catalog = permissionCatalog().map((p) => ({ ...p, reviewHighRisk: p.id === "logs:read", admin: p.id === "resources:manage" }));
    const other = buildReview({
      members: [member("dev@acme.io", "developer", ["resources:manage", "logs:read", "billing:read"], ["billing:read"])],
      invitations: [],
      roles: ROLES,
      events: [],
      catalog,
      now: NOW,
    });
    expect(other.highRisk.map((p: any) => [p.email, p.highRisk])).toEqual([["dev@acme.io", ["logs:read"]]]);
    expect(other.summary.admins).toBe(1);
  });

  it("CSV: one row per person, formula cells defused, parsed back by a CSV library", () => {
    const rows = parse(reviewCsv(review), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(CSV_COLUMNS.map((column: unknown[]) => column[0]));
    expect(rows.map((r) => r.email)).toEqual(["'=new@acme.io", "dev@acme.io", "founder@acme.io", "old@acme.io"]);
    expect(rows.find((r) => r.email === "old@acme.io")).toMatchObject({ stale_invitation: "yes", status: "pending" });
  });
});

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the Review page", () => {
  it("lists high-risk holders and everyone's last change with its client, and downloads the CSV", async () => {
    const ws = await startWorkspace();
    const { context, page, errors } = await openPage(browser);
    try {
      const members = (await ws.api<{ items: Member[] }>("GET", `/v1/workspaces/${ws.name}/members`)).items;
      expect(members.map((m) => m.email)).toEqual(["founder@acme.io"]);
      await ws.api("POST", `/v1/workspaces/${ws.name}/invitations`, { email: "admin@acme.io", role: "account-admin" });
      await signIn(page, ws, ws.ownerToken);
      await goTo(page, "Review", "review");
      const highRisk = page.locator('section[aria-labelledby="review-high-risk"] tbody tr');
      await highRisk.first().waitFor();
      expect(await highRisk.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.email))).toEqual(["admin@acme.io", "founder@acme.io"]);
      const admin = page.locator('section[aria-labelledby="review-everyone"] tr[data-email="admin@acme.io"]');
      expect(await admin.locator('[data-label="Last change"]').textContent()).toMatch(/^invitation\.created by founder@acme\.io \(API\)/);
      await screenshot(page, "review");

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      expect(download.suggestedFilename()).toBe(`access-review-${ws.name}.csv`);
      const rows = parse(await readFile((await download.path())!, "utf8"), { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.email, r.status, r.last_change_client])).toEqual([
        ["admin@acme.io", "pending", "api"],
        ["founder@acme.io", "active", ""],
      ]);
      expect(errors, "uncaught errors in the page").toEqual([]);
    } finally {
      await context.close();
      await ws.close();
    }
  });
});
