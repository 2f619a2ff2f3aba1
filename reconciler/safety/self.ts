import { normalizeEmail } from "../../schema/catalog.js";
import { lostBy, projectMember } from "./projection.js";
import type { SafetyRail } from "./rail.js";

/**
 * self: the plan may not remove the caller (the member whose token runs it) or take any
 * effective permission from them, directly or through a custom role, unless
 * `--allow-self-change`. Gaining permissions is never blocked.
 */
export const self: SafetyRail = (plan, live, _desired, options) => {
  if (options.allowSelfChange) return [];
  const caller = normalizeEmail(live.caller.email);
  const projected = projectMember(plan, live, caller);
  if (projected === undefined) return [];
  const { member: me, tables } = projected;
  const override = "--allow-self-change";
  if (me.after === null) return [{ rail: "self", message: `this plan removes ${caller}, whose token runs it`, override }];
  const lost = lostBy(tables, me);
  if (lost.length === 0) return [];
  return [{ rail: "self", message: `this plan takes ${lost.join(", ")} from ${caller}, whose token runs it`, override }];
};
