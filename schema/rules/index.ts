import { requiredAdminNotAdmin, minAdmins } from "./admins.js";
import { duplicateEmail, invalidEmail, ownerListedAsMember, ownerRequiredByGroups } from "./emails.js";
import { expiredMember } from "./expiry.js";
import { lookAlikeEmails } from "./look-alikes.js";
import { duplicatePermission, ownerOnlyPermission, redundantPermission, unknownPermission } from "./permissions.js";
import { groupNames, invalidDescription, roleAssignedOwner, roleNames, unknownRole, unusedRole } from "./roles.js";
import { POLICY_RULES } from "../policy/rules.js";
import type { Rule } from "./types.js";

export type { Finding, Rule, RuleContext } from "./types.js";

/**
 * RULES are the named checks run over every normalized file, in no particular order (the
 * findings are sorted by position afterwards). Each reports under its own stable codes,
 * documented in docs/access-yaml.md.
 */
export const RULES: Readonly<Record<string, Rule>> = {
  invalidEmail,
  duplicateEmail,
  lookAlikeEmails,
  ownerListedAsMember,
  ownerRequiredByGroups,
  roleNames,
  groupNames,
  invalidDescription,
  roleAssignedOwner,
  unknownRole,
  unknownPermission,
  ownerOnlyPermission,
  requiredAdminNotAdmin,
  minAdmins,
  redundantPermission,
  duplicatePermission,
  expiredMember,
  unusedRole,
  ...POLICY_RULES,
};
