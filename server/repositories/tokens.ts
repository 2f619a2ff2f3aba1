import type { Db } from "../db/open.js";
import type { MemberRow, WorkspaceRow } from "./rows.js";

/** TokenOwner is the member an API token belongs to, with its workspace. */
export interface TokenOwner {
  member: MemberRow;
  workspace: WorkspaceRow;
}

/** tokenRepository stores API tokens by SHA-256 hash only and resolves a hash to its member. */
export function tokenRepository(db: Db) {
  const insert = db.prepare<[string, string, number]>("INSERT INTO api_tokens (hash, member_id, created_at) VALUES (?, ?, ?)");
  const lookup = db.prepare<[string], { member_id: string }>("SELECT member_id FROM api_tokens WHERE hash = ?");
  const member = db.prepare<[string], MemberRow>("SELECT * FROM members WHERE id = ?");
  const workspace = db.prepare<[number], WorkspaceRow>("SELECT * FROM workspaces WHERE id = ?");
  return {
    insert: (hash: string, memberId: string, now: number) => void insert.run(hash, memberId, now),
    /** owner resolves a token hash; undefined when unknown or its member was removed. */
    owner(hash: string): TokenOwner | undefined {
      const t = lookup.get(hash);
      const m = t && member.get(t.member_id);
      const w = m && workspace.get(m.workspace_id);
      return m && w ? { member: m, workspace: w } : undefined;
    },
  };
}
