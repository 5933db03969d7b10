/**
 * The deadline every statement of one step of a front-db target (a check, a send, a poll) is
 * bound by (./insert-new-keys.ts `StatementDeadline`).
 */
import type { Knex } from 'knex';
import type { StatementDeadline } from './insert-new-keys.js';

/**
 * The deadline of every statement of one step that ends at `endsAt`.
 * `cancel`: knex cancels a statement on the server only where the dialect can (PostgreSQL, MySQL);
 * elsewhere it drops the connection instead, which ends its transaction.
 */
export function deadlineAt(k: Knex, endsAt: number): StatementDeadline {
  return {
    remainingMs: () => Math.max(1, endsAt - Date.now()),
    cancel: (k.client as { canCancelQuery?: boolean }).canCancelQuery === true,
  };
}
