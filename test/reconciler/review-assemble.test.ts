import { describe, expect, it } from "vitest";
import { assembleReview, expiringAccess, normalizeDomains, notManaged, type AssembleInput } from "../../reconciler/review/assemble.js";
import { renderReviewCsv } from "../../reconciler/review/csv.js";
import { parse } from "csv-parse/sync";
import { invitation, live, member } from "./factory.js";

/**
 * assembleReview: the part of the review the dashboard runs in the browser (the domain
 * core), from the live workspace alone; here with `accessExpiresAt` as a server that
 * enforces time-bound access sends it on members and invitations.
 */

const NOW = new Date("2026-11-30T09:00:00.000Z");
const DAY = 86_400_000;

function input(extra: Partial<AssembleInput> = {}): AssembleInput {
  return { live: live(), target: "https://api.antryk.example", entries: null, accessFile: null, drift: null, lastChange: new Map(), history: { readable: true, pagesRead: 1, eventsRead: 0, complete: true }, now: NOW, ...extra };
}

const ending = <T extends object>(o: T, at: string | null) => ({ ...o, accessExpiresAt: at });

describe("assembleReview (the dashboard's review)", () => {
  const state = live({
    members: [
      ending(member("eve@contractor.dev", "developer"), "2026-12-10T00:00:00.000Z"),
      ending(member("gone@contractor.dev", "developer"), "2026-11-28T00:00:00.000Z"),
      ending(member("later@acme.io", "developer"), "2027-03-01T00:00:00.000Z"),
      ending(member("alice@acme.io", "account-admin"), null),
      { ...member("bob@acme.io"), managedBy: "antryk-access:acme-prod" },
    ],
    invitations: [ending(invitation("temp@partner.io", "developer"), "2026-12-01T12:00:00.000Z")],
  });
  const review = assembleReview(input({ live: state, internalDomains: [" @ACME.io", "acme.io", ""] }));

  it.each([
    [30, ["gone@contractor.dev", "temp@partner.io", "eve@contractor.dev"], [-3, 1, 9]],
    [5, ["gone@contractor.dev", "temp@partner.io"], [-3, 1]],
    [120, ["gone@contractor.dev", "temp@partner.io", "eve@contractor.dev", "later@acme.io"], [-3, 1, 9, 90]],
  ])("access ending within %i days: soonest first, past ends included, from accessExpiresAt", (days, emails, left) => {
    const rows = expiringAccess(review.people, days, NOW);
    expect(rows.map((r) => r.person.email)).toEqual(emails);
    expect(rows.map((r) => r.daysLeft)).toEqual(left);
  });

  it("falls back to access.yaml's expires (the end of that day) where the server sends no accessExpiresAt", () => {
    const people = [{ ...review.people[0]!, accessExpiresAt: undefined, expires: "2026-12-02" }];
    expect(expiringAccess(people, 30, NOW).map((r) => [r.endsAt, r.daysLeft])).toEqual([["2026-12-03T00:00:00.000Z", 2]]);
    expect(expiringAccess([{ ...review.people[0]!, accessExpiresAt: undefined, expires: null }], 30, NOW)).toEqual([]);
  });

  it("outside the company domains (normalized), not managed (the owner aside), admins; the CSV carries access_expires_at and not_managed", () => {
    expect(review.internalDomains).toEqual(["acme.io"]);
    expect(normalizeDomains(["B.io", "@a.io", " ", "a.io"])).toEqual(["a.io", "b.io"]);
    expect(review.outside).toEqual(["eve@contractor.dev", "gone@contractor.dev", "temp@partner.io"]);
    expect(notManaged(review.people).map((p) => p.email)).toEqual(["alice@acme.io", "eve@contractor.dev", "gone@contractor.dev", "later@acme.io", "temp@partner.io"]);
    expect(review.admins).toEqual(["alice@acme.io", "owner@acme.io"]);
    const rows = parse(renderReviewCsv(review), { bom: true, columns: true }) as Record<string, string>[];
    const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
    expect(byEmail["eve@contractor.dev"]).toMatchObject({ access_expires_at: "2026-12-10T00:00:00.000Z", not_managed: "yes", internal: "no" });
    expect(byEmail["bob@acme.io"]).toMatchObject({ access_expires_at: "", not_managed: "no", managed_by: "antryk-access:acme-prod" });
    expect(byEmail["owner@acme.io"]).toMatchObject({ not_managed: "no" });
  });

  it("a server that sends no accessExpiresAt leaves the field out (the CLI's JSON unchanged)", () => {
    const plain = assembleReview(input({ live: live({ members: [member("x@acme.io")] }) }));
    expect(plain.people.every((p) => !("accessExpiresAt" in p))).toBe(true);
    expect(expiringAccess(plain.people, 30, new Date(NOW.getTime() + 400 * DAY))).toEqual([]);
  });
});
