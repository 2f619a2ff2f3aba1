import { md, tableRows, walk } from "./gfm.js";
import { describe, expect, it } from "vitest";
import { computePlan } from "../../reconciler/compute/index.js";
import { renderMarkdown, renderText } from "../../reconciler/render/index.js";
import { desired, invitation, live, member, role, want, wantRole } from "./factory.js";

/**
 * The Markdown comment through a real GFM renderer (markdown-it with tables, strikethrough,
 * raw HTML and linkify on, as GitHub allows them): every value from the file or the
 * workspace stays inert — each table row keeps its cells, no link, emphasis or HTML comes
 * from data, nothing a mention, issue reference or autolink filter would act on is left
 * outside a code span — and each value is still shown faithfully.
 */

const HOSTILE_DESCRIPTION = "*x* _y_ [x](javascript:alert(1)) <script>alert(1)</script> @someone #12 | pipe ``` `tick` https://evil.example www.evil.example";
const GROUP = "*team* @org/admins #12 [x](javascript:alert(1)) <img src=x onerror=alert(1)>";
const FILE_EMAILS = ["a|b@acme.io", "we`ird@acme.io", "*bold*@acme.io", "_under_@acme.io", "tick``s@acme.io"];
const LEGACY_EMAILS = ["<script>alert(1)</script>@acme.io", "[x](javascript:alert(1))@acme.io", "@someone", "#12@acme.io", "https://evil.example/@acme.io", "y\u001b[1;1fowner-was-here@acme.io", "evil\u202eoi.emca@x.io"];

const plan = computePlan(
  desired({
    safety: { maxRemovals: { kind: "count", value: 50 }, preserve: ["pre|served@acme.io"] },
    roles: [wantRole("support", ["logs:read"], HOSTILE_DESCRIPTION)],
    members: [
      ...FILE_EMAILS.map((e) => want(e, "developer", [], { group: GROUP })),
      want("pre|served@acme.io", "account-admin"),
      want("lead@acme.io", "support"),
    ],
  }),
  live({
    members: [...LEGACY_EMAILS.map((e) => member(e, "developer")), member("pre|served@acme.io", "developer"), member("lead@acme.io", "support")],
    invitations: [invitation("<b>pending</b>@acme.io", "account-admin")],
    roles: [role("support", ["logs:read", "access:manage"], "old *description* <i>")],
  }),
  { target: "http://127.0.0.1:1" },
);


describe("renderMarkdown through a GFM renderer", () => {
  const text = renderMarkdown(plan);
  const tokens = md.parse(text, {});
  const html = md.render(text);

  it("the plan carries every hostile value (the test attacks what it claims to)", () => {
    const subjects = plan.changes.map((c) => ("email" in c ? c.email : c.name));
    for (const e of [...FILE_EMAILS, ...LEGACY_EMAILS]) expect(subjects).toContain(e.toLowerCase());
    expect(plan.warnings.some((w) => w.email === "pre|served@acme.io")).toBe(true);
  });

  it("every table row has as many cells as its header", () => {
    const rows = tableRows(tokens);
    rows.forEach(([cells, header], i) => expect(cells, `row ${i + 1}`).toBe(header));
    expect(rows.length).toBeGreaterThan(10);
  });

  it("every table row has as many cells as its header when split as GitHub splits it (on every unescaped |, code spans included)", () => {
    const lines = text.split("\n");
    let header = 0;
    for (const line of lines) {
      if (!line.startsWith("|")) {
        header = 0;
        continue;
      }
      const cells = line.replace(/\\\\/g, "").split(/(?<!\\)\|/).length;
      if (header === 0) header = cells;
      expect(cells, line).toBe(header);
    }
  });

  it("no link, emphasis or HTML comes from data", () => {
    const kinds = new Set<string>();
    walk(tokens, (t) => kinds.add(t.type));
    expect([...kinds].filter((k) => ["link_open", "em_open", "html_inline", "image"].includes(k))).toEqual([]);
    const blocks: string[] = [];
    walk(tokens, (t) => {
      if (t.type === "html_block") blocks.push(t.content.trim());
    });
    for (const b of blocks) expect(b).toMatch(/^(<details>|<\/details>|<summary>[^<]*<\/summary>|<!-- antryk-access comment \d+\/\d+ -->)$/);
    expect(html).not.toMatch(/<a[\s>]|<em>|<script|<img|<b>|<i>/);
  });

  it("nothing a mention, issue-reference or autolink filter acts on is left outside code", () => {
    walk(tokens, (t) => {
      if (t.type === "text") expect(t.content, t.content).not.toMatch(/[@#<>|`*_[\]]|https?:|www\./);
    });
  });

  it("shows every value faithfully: backticks, pipes and markup are kept, invisible characters escaped", () => {
    const code: string[] = [];
    walk(tokens, (t) => {
      if (t.type === "code_inline") code.push(t.content);
    });
    for (const e of ["we`ird@acme.io", "tick``s@acme.io", "a|b@acme.io", "*bold*@acme.io", "<script>alert(1)</script>@acme.io", "y\\u001b[1;1fowner-was-here@acme.io", "evil\\u202eoi.emca@x.io"]) {
      expect(code, e).toContain(e);
    }
    expect(code).toContain("[x](javascript:alert(1))");
    expect(code).toContain("`tick`");
    expect(text).not.toMatch(/[\u001b\u202e]/);
  });
});

describe("renderText", () => {
  it("shows control and bidi characters escaped, never raw", () => {
    const out = renderText(plan, { color: true });
    expect(out).toContain("y\\u001b[1;1fowner-was-here@acme.io");
    expect(out).toContain("evil\\u202eoi.emca@x.io");
    expect(out.replace(/\x1b\[[0-9;]*m/g, "")).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
  });
});
