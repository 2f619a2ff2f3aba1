import type { AccessClient } from "../client/index.js";
import type { Invitation, Member } from "../schema/api.js";
import { checkManagerId } from "../schema/manager.js";

/**
 * Who manages a person, as the provider's Member resource sees it: its own manager id
 * (`manager`, the hidden input the resource class computes from the engine's context:
 * provider/manager.ts) against the person's live `managedBy`. Absent `manager`: a state or
 * program from before markers, which keeps the old behaviour (no marker is read or written).
 */

/** Marked is a live member or invitation with its marker. */
export type Marked = { kind: "member"; member: Member } | { kind: "invitation"; invitation: Invitation };

/** markerOf is a person's live managedBy (null: nobody). */
export function markerOf(person: Marked): string | null {
  return (person.kind === "member" ? person.member.managedBy : person.invitation.managedBy) ?? null;
}

/** managerInput reads the resource's `manager` input: a manager id, or undefined (older programs and states). */
export function managerInput(value: unknown): string | undefined {
  return typeof value === "string" && checkManagerId(value) === undefined ? value : undefined;
}

/** checkManagerInput says what is wrong with a `manager` input, or null. */
export function checkManagerInput(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return "manager must be a string (the resource class sets it)";
  const problem = checkManagerId(value);
  return problem === undefined ? null : `the manager id ${problem}`;
}

/**
 * takeMarker makes `manager` the person's marker with a write that changes nothing else
 * (an empty PATCH sent as that manager): adoption takes over the marker even when the
 * person already holds the inputs' access. An expired invitation cannot be patched; the
 * plan resends it (which marks it) when it matches.
 */
export async function takeMarker(client: AccessClient, workspace: string, person: Marked, manager: string | null): Promise<void> {
  const as = client.withManager(manager);
  if (person.kind === "member") await as.updateMember(workspace, person.member.id, {}, { ifMatch: person.member.version });
  else if (person.invitation.status === "pending") await as.updateInvitation(workspace, person.invitation.id, {}, { ifMatch: person.invitation.version });
}

/**
 * DeleteVerdict is what deleting a Member does to its person: `remove` (this resource
 * manages them, or nobody does), `handBack` (this resource adopted them from a manager of
 * another stack or tool, which still names them: the marker goes back to it, the person
 * stays), or `leave` (another resource or tool took them over: only the state is dropped).
 */
export type DeleteVerdict = { kind: "remove" } | { kind: "handBack"; to: string } | { kind: "leave"; managedBy: string };

/**
 * deleteVerdict decides DeleteVerdict from the resource's own manager, the live marker and
 * the marker it adopted (`adoptedFrom`). A manager adopted from this same project and stack
 * is an earlier URN of this resource (a rename without `aliases`), already deleted or about
 * to be: nothing to hand back to.
 */
export function deleteVerdict(own: string | undefined, marker: string | null, adoptedFrom: string | undefined): DeleteVerdict {
  if (own === undefined || marker === null) return { kind: "remove" };
  if (marker !== own) return { kind: "leave", managedBy: marker };
  if (adoptedFrom !== undefined && stackOf(adoptedFrom) !== stackOf(own)) return { kind: "handBack", to: adoptedFrom };
  return { kind: "remove" };
}

/** stackOf is the `pulumi:<project>/<stack>/` prefix of a Pulumi manager id, or the whole id of another tool's. */
function stackOf(manager: string): string {
  const m = /^pulumi:[^/]*\/[^/]*\//.exec(manager);
  return m === null ? manager : m[0];
}

/**
 * ownEarlierIds are the manager ids this resource wrote as before its id changed: the
 * `manager` its state recorded, when it differs from the one it has now (a rename with
 * `aliases` gives it a new URN; an older version of the provider computed another form).
 * What they mark is still this resource's: its update takes them over and moves the marker.
 */
export function ownEarlierIds(own: string | undefined, recorded: unknown): string[] {
  const earlier = managerInput(recorded);
  return own !== undefined && earlier !== undefined && earlier !== own ? [earlier] : [];
}
