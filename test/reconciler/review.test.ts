import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildReview, daysUntil, renderReviewCsv, renderReviewJson, renderReviewMarkdown, type ReviewInput } from "../../reconciler/review/index.js";
import { MARKDOWN_LIMIT } from "../../reconciler/render/index.js";
import type { AuditEvent } from "../../schema/api.js";
import { desired, invitation, live, member, NO_LIMIT, role, want, wantRole } from "./factory.js";

/** buildReview and its renderers, pure: sections, limits, escaping and the spreadsheet-safe CSV. */

const NOW = new Date("2026-11-30T09:00:00.000Z");
const COMPLETE = { readable: true, pagesRead: 1, eventsRead: 0, complete: true };

function input(extra: Partial<ReviewInput> = {}): ReviewInput {
  return { live: live(), target: "https://api.antryk.example", desired: null, accessFile: null, lastChange: new Map(), history: COMPLETE, now: NOW, ...extra };
}

describe("buildReview", () => {
  it.each([
    ["today", "2026-11-30", 0],
    ["tomorrow", "2026-12-01", 1],
    ["yesterday", "2026-11-29", -1],
    ["in 30 days", "2026-12-30", 30],
  ])("daysUntil %s", (_name, date, want) => expect(daysUntil(date, NOW)).toBe(want));

  it("lists admins, outsiders (subdomains count as inside), expiring access, stale invitations and drift", () => {
    const state = live({
      members: [member("alice@acme.io", "account-admin"), member("eve@contractor.dev", "developer", ["domains:manage"]), member("ops@eu.acme.io")],
      invitations: [
        invitation("old@acme.io", "developer", { createdAt: "2026-11-01T00:00:00.000Z" }),
        invitation("new@acme.io", "developer", { createdAt: "2026-11-25T00:00:00.000Z" }),
      ],
    });
    const file = desired({
      safety: NO_LIMIT,
      members: [want("alice@acme.io", "account-admin"), want("eve@contractor.dev", "developer", ["domains:manage"], { expires: "2026-12-15" }), want("old@acme.io")],
    });
    const review = buildReview(input({ live: state, desired: file, accessFile: "access.yaml", internalDomains: ["acme.io"] }));
    expect(review.admins).toEqual(["alice@acme.io", "owner@acme.io"]);
    expect(review.outside).toEqual(["eve@contractor.dev"]);
    expect(review.expiring).toEqual(["eve@contractor.dev"]);
    expect(review.stale.map((s) => [s.email, s.ageDays])).toEqual([["old@acme.io", 29]]);
    expect(review.stale[0]!.command).toMatch(/^curl .*-H 'If-Match: "1"' "\$ANTRYK_API_URL\/v1\/workspaces\/acme-prod\/invitations\/i\d+\/revoke"$/);
    expect(review.drift!.map((d) => d.key)).toEqual(["revokeInvitation:new@acme.io", "removeMember:ops@eu.acme.io"]);
    expect(review.summary.notInFile).toBe(2);
    expect(review.people.find((p) => p.email === "alice@acme.io")!.highRisk).toEqual(["billing:read", "access:manage", "settings:manage", "infrastructure:configure"]);
  });

  it("takes a person's last change from the history read", () => {
    const event: AuditEvent = { id: "evt_1", at: "2026-11-29T10:02:00.000Z", actor: "alice@acme.io", action: "member.updated", target: "bob@acme.io", before: null, after: null, requestId: "req_1", client: "dashboard" };
    const review = buildReview(input({ live: live({ members: [member("bob@acme.io")] }), lastChange: new Map([["bob@acme.io", event]]) }));
    expect(review.people.find((p) => p.email === "bob@acme.io")!.lastChange).toMatchObject({ actor: "alice@acme.io", client: "dashboard" });
    expect(renderReviewMarkdown(review)).toContain("changed by `alice@acme.io` in the dashboard, 2026-11-29 10:02 UTC");
  });
});

describe("review renderers", () => {
  it("Markdown stays within 60,000 characters on 5,000 people, folds the table and says how many rows it cut", () => {
    const members = Array.from({ length: 5000 }, (_, i) => member(`person${String(i).padStart(4, "0")}@acme.io`));
    const md = renderReviewMarkdown(buildReview(input({ live: live({ members }) })));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toContain("<details>");
    expect(md).toMatch(/_This comment stops at 60,000 characters: \d+ people not shown\. Run `antryk-access review --format csv` for every row\._/);
  });


  it("CSV: a header, one row per person, formula cells defused, read back as written", () => {
    const state = live({ members: [member("=cmd@acme.io"), member("a,b@acme.io")] });
    const csv = renderReviewCsv(buildReview(input({ live: state })));
    expect(csv.startsWith("\uFEFFemail,status,")).toBe(true);
    expect(csv).toContain("\r\n");
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.email)).toEqual(["'=cmd@acme.io", "a,b@acme.io", "owner@acme.io"]);
  });

  it("JSON is versioned and round-trips", () => {
    const review = buildReview(input());
    expect(JSON.parse(renderReviewJson(review))).toEqual(review);
    expect(Object.keys(review)[0]).toBe("formatVersion");
  });
});
