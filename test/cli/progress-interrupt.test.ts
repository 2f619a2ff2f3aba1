import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyWithProgress } from "../../cli/applying.js";
import { computePlan } from "../../reconciler/compute/index.js";
import { fetchWorkspaceState } from "../../reconciler/fetch.js";
import type { DesiredState } from "../../schema/model.js";
import { startFixture, type Fixture } from "../client/fixture.js";

/**
 * Ctrl-C during a long apply (the signal aborts when the progress line reaches 6/40): the
 * progress display counts only changes that were tried, so it stops where the apply stopped
 * and never reaches 40/40 while the report lists the rest as not attempted.
 */
const source = { file: "access.yaml", line: 1, column: 1, path: [] };
const want: DesiredState = {
  file: "access.yaml",
  version: 1,
  workspace: "acme",
  owner: "owner@acme.io",
  mode: "authoritative",
  safety: { maxRemovals: { kind: "percent", value: 25 }, minAdmins: 1, requiredAdmins: [], preserve: [] },
  invitations: { resendExpired: true, maxResends: 3 },
  roles: [],
  members: Array.from({ length: 40 }, (_, i) => ({ email: `new${String(i).padStart(2, "0")}@acme.io`, role: "developer", permissions: [], source })),
  expiredMembers: [],
};

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => fx.close());

describe("progress after Ctrl-C", () => {
  it("stops where the apply stopped: the last line counts exactly the changes tried", async () => {
    const client = fx.client();
    const plan = computePlan(want, await fetchWorkspaceState(client, "acme"), { target: client.baseUrl });
    expect(plan.changes).toHaveLength(40);
    const controller = new AbortController();
    const lines: string[] = [];
    const stream = {
      isTTY: false,
      write(chunk: string | Uint8Array): boolean {
        const line = String(chunk).trim();
        lines.push(line);
        if (line.startsWith("Applying: 8/40")) controller.abort(); // Ctrl-C
        return true;
      },
    };
    const result = await applyWithProgress(plan, client, { concurrency: 1, signal: controller.signal, progress: { stream, now: () => 0, env: {} } });
    expect(result.applied).toHaveLength(8);
    expect(result.notAttempted).toHaveLength(32);
    expect(lines.at(-1)).toMatch(/^Applying: 8\/40 \(20%\)/);
    expect(lines.filter((l) => /Applying: (9|[1-4]\d)\/40/.test(l))).toEqual([]);
  });
});
