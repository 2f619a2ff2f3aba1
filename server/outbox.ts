import type { OutboxMessage } from "../schema/api.js";

/**
 * Outbox is the dev outbox: the invitation e-mails the server "sent", kept in memory
 * only (never in the database), and only when `--dev-outbox` is on, so that local
 * users and tests can accept an invitation as the invitee would from the e-mail.
 */
export class Outbox {
  private readonly messages: OutboxMessage[] = [];

  /** record appends a sent invitation message; call it only after the change committed. */
  record(message: OutboxMessage): void {
    this.messages.push(message);
  }

  /** list is every message sent for `workspace` so far, oldest first. */
  list(workspace: string): OutboxMessage[] {
    return this.messages.filter((m) => m.workspace === workspace);
  }
}
