import { memberPath } from "../normalize.js";
import { warning, type Rule } from "./types.js";

/** expiredMember (`expired-member`, warning): an entry whose `expires` date has passed is treated as absent. */
export const expiredMember: Rule = (draft) =>
  draft.members
    .filter((m) => m.expired)
    .map((m) =>
      warning(
        "expired-member",
        memberPath(m, "expires"),
        `access for "${m.email}" expired on ${m.expires}; the entry is treated as absent (remove it from the file)`,
      ),
    );
