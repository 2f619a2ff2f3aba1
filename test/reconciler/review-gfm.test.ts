import { md, walk } from "./gfm.js";
import { describe, expect, it } from "vitest";
import { buildReview, renderReviewMarkdown } from "../../reconciler/review/index.js";
import type { AuditEvent } from "../../schema/api.js";
import { desired, invitation, live, member, role, want, wantRole } from "./factory.js";

/**
 * The review's Markdown through a real GFM renderer, attacked as the plan's is
 * (markdown-gfm.test.ts): hostile emails, a hostile role description in the drift, a
 * hostile group and file path, a hostile actor in the history. Every table row keeps its
 * cells, no link, emphasis or HTML comes from data, and nothing is left outside code that
 * a mention, issue-reference or autolink filter would act on.
 */

const HOSTILE = "*x* _y_ [x](javascript:alert(1)) <script>alert(1)</script> @someone #12 | pipe ``` `tick` https://evil.example";
const GROUP = "*team* @org/admins #12 <img src=x onerror=alert(1)>";
const EMAILS = ["a|b@acme.io", "we`ird@acme.io", "*bold*@acme.io", "<script>alert(1)</script>@acme.io", "[x](javascript:alert(1))@acme.io", "evil\u202eoi.emca@x.io"];
const ACTOR = "<img src=x>@evil.example";

const event = (target: string): AuditEvent => ({
  id: "evt_1",
  at: "2026-11-29T10:02:00.000Z",
  actor: ACTOR,
  action: "member.updated",
  target,
  before: null,
  after: null,
  requestId: "req_1",
  client: "dashboard",
});

const review = buildReview({
  live: live({
    members: [...EMAILS.map((e) => member(e, "developer")), member("lead@acme.io", "support")],
    invitations: [invitation("<b>old</b>@acme.io", "developer", { createdAt: "2026-10-01T00:00:00.000Z" })],
    roles: [role("support", ["logs:read"], HOSTILE)],
  }),
  target: "http://127.0.0.1:1",
  desired: desired({ roles: [wantRole("support", ["logs:read"], "plain")], members: EMAILS.map((e) => want(e, "developer", [], { group: GROUP, expires: "2026-12-01", source: { file: "a|b <i>.yaml", line: 3, column: 5, path: [] } })) }),
  accessFile: "a|b <i>.yaml",
  lastChange: new Map(EMAILS.map((e) => [e, event(e)])),
  history: { readable: true, pagesRead: 1, eventsRead: 6, complete: true },
  now: new Date("2026-11-30T09:00:00.000Z"),
  internalDomains: ["acme.io"],
});


describe("renderReviewMarkdown through a GFM renderer", () => {
  const text = renderReviewMarkdown(review);
  const tokens = md.parse(text, {});
  const html = md.render(text);

  it("the report carries every hostile value", () => {
    expect(review.drift!.map((d) => d.text).join("\n")).toContain("<script>");
    expect(review.people.map((p) => p.email)).toEqual(expect.arrayContaining(EMAILS.map((e) => e.toLowerCase())));
    expect(review.stale.map((s) => s.email)).toEqual(["<b>old</b>@acme.io"]);
  });

  it("every table row has as many cells as its header when split as GitHub splits it", () => {
    let header = 0;
    let rows = 0;
    for (const line of text.split("\n")) {
      if (!line.startsWith("|")) {
        header = 0;
        continue;
      }
      const cells = line.replace(/\\\\/g, "").split(/(?<!\\)\|/).length;
      if (header === 0) header = cells;
      expect(cells, line).toBe(header);
      rows += 1;
    }
    expect(rows).toBeGreaterThan(10);
  });

  it("no link, emphasis or HTML comes from data", () => {
    const kinds = new Set<string>();
    walk(tokens, (t) => kinds.add(t.type));
    expect([...kinds].filter((k) => ["link_open", "em_open", "html_inline", "html_block", "image"].includes(k))).toEqual([]);
    expect(html).not.toMatch(/<a[\s>]|<em>|<script|<img|<b>|<i>/);
  });

  it("nothing a mention, issue-reference or autolink filter acts on is left outside code", () => {
    walk(tokens, (t) => {
      if (t.type === "text") expect(t.content, t.content).not.toMatch(/[@#<>|`*_[\]]|https?:|www\./);
    });
    expect(text).not.toMatch(/[\u001b\u202e]/);
  });
});

describe("the plan's Live since section through a GFM renderer", () => {
  it("a hostile actor or client version stays inert, and the only HTML is the fold", async () => {
    const { renderMarkdown } = await import("../../reconciler/render/index.js");
    const { planOf, small } = await import("./scenarios.js");
    const plan = planOf(small);
    const attributed = {
      ...plan,
      changes: plan.changes.map((c) => ({ ...c, liveSince: { eventId: "evt_1", action: "member.updated" as const, actor: ACTOR, at: "2026-11-29T10:02:00.000Z", requestId: "req_|1", client: "antryk-access" as const, clientVersion: "<i>1</i>" } })),
    };
    const text = renderMarkdown(attributed);
    const tokens = md.parse(text, {});
    const kinds = new Set<string>();
    walk(tokens, (t) => kinds.add(t.type));
    expect([...kinds].filter((k) => ["link_open", "em_open", "html_inline", "image"].includes(k))).toEqual([]);
    walk(tokens, (t) => {
      if (t.type === "html_block") for (const line of t.content.trim().split("\n")) expect(line).toMatch(/^(<details>|<\/details>|<summary>[^<]*<\/summary>|<!-- antryk-access comment \d+\/\d+ -->)$/);
      if (t.type === "text") expect(t.content, t.content).not.toMatch(/[@#<>|`*_[\]]|https?:|www\./);
    });
    expect(md.render(text)).not.toMatch(/<img|<i>/);
    expect(text).toContain("#### Live since");
  });
});
