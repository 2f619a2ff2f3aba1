import type { Db } from "../db/open.js";
import { auditRepository } from "./audit.js";
import { idempotencyRepository } from "./idempotency.js";
import { invitationRepository } from "./invitations.js";
import { memberRepository } from "./members.js";
import { roleRepository } from "./roles.js";
import { tokenRepository } from "./tokens.js";
import { workspaceRepository } from "./workspaces.js";

/** Repositories is every table's prepared statements over one database handle. */
export interface Repositories {
  db: Db;
  workspaces: ReturnType<typeof workspaceRepository>;
  members: ReturnType<typeof memberRepository>;
  tokens: ReturnType<typeof tokenRepository>;
  invitations: ReturnType<typeof invitationRepository>;
  roles: ReturnType<typeof roleRepository>;
  audit: ReturnType<typeof auditRepository>;
  idempotency: ReturnType<typeof idempotencyRepository>;
}

/** createRepositories prepares the statements of every repository once per database handle. */
export function createRepositories(db: Db): Repositories {
  return {
    db,
    workspaces: workspaceRepository(db),
    members: memberRepository(db),
    tokens: tokenRepository(db),
    invitations: invitationRepository(db),
    roles: roleRepository(db),
    audit: auditRepository(db),
    idempotency: idempotencyRepository(db),
  };
}
