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

/**
 * knex's text for a statement out of its time whose cancel then failed (knex 3 runner.js), set on
 * the cancel's own error: PostgreSQL's and MySQL's cancel opens a new connection, and one that
 * cannot be made in time (a server that takes it and never answers) fails by its connect timeout.
 */
const CANCEL_FAILED = /^After query timeout of \d+ms exceeded, cancelling of query failed\.$/;

/**
 * Whether `cause` is a statement that ran past its deadline: knex's timeout, or knex's cancel of it
 * failing. The latter carries the cancel's error, no code of the statement's: it read `… failed`
 * and was audited `other`, as a row refused for its values is.
 */
export function pastDeadline(cause: unknown): boolean {
  if (cause === null || typeof cause !== 'object') return false;
  const { name, message, timeout } = cause as { name?: unknown; message?: unknown; timeout?: unknown };
  if (name === 'KnexTimeoutError') return true;
  return typeof timeout === 'number' && typeof message === 'string' && CANCEL_FAILED.test(message);
}
