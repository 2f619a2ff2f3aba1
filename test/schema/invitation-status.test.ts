import { describe, expect, it } from "vitest";
import { invitationStatusAt } from "../../schema/invitation-status.js";
import { liveStatus } from "../../server/dashboard/assets/format.js";

const NOW = Date.parse("2027-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

// The one status rule: the server reads statuses with it, the dashboard re-decides between reads with it.
describe("invitationStatusAt", () => {
  it.each([
    ["pending, link and access still valid", "pending", NOW + 1, null, "pending"],
    ["pending, link expired at now", "pending", NOW, null, "expired"],
    ["pending, access ended", "pending", NOW + 1, NOW - 1, "expired"],
    ["pending, access ends later", "pending", NOW + 1, NOW + 1, "pending"],
    ["accepted stays accepted past its link", "accepted", NOW - 1, null, "accepted"],
    ["revoked stays revoked", "revoked", NOW - 1, NOW - 1, "revoked"],
  ] as const)("%s", (_name, state, expiresAt, accessExpiresAt, expected) => {
    expect(invitationStatusAt(state, expiresAt, accessExpiresAt, NOW)).toBe(expected);
    // the dashboard's liveStatus reads the API object's ISO times with the same rule
    expect(liveStatus({ status: state, expiresAt: iso(expiresAt), accessExpiresAt: accessExpiresAt === null ? null : iso(accessExpiresAt) }, NOW)).toBe(expected);
  });
});
