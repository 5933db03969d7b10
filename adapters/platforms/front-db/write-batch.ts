/**
 * One `deliver` call's rows written into the exchange table and each delivery's outcome read back:
 * a row written and stored as written is accepted (or `submitted`, with `exchangeStatus`), a row
 * already there answers as the earlier send's (its receipt naming the columns it holds written
 * otherwise, ./verify-stored.ts `Verified`), a row stored altered is rejected, and a row the
 * database refused for its values fails (retryable) without holding back the others.
 * A failure that stops the write after some rows were committed keeps their answers
 * (./partly-written.ts).
 */
import type { Knex } from 'knex';
import type { DeliveryOutcome } from '../target.js';
import type { ExchangeStatusCodes } from './config.js';
import { batchOf, type ExchangeState, outcomeOfCode, stateColumns, stateOfRows } from './exchange-status.js';
import { COLUMNS, keyOf, rowsOfKeys } from './exchange-table.js';
import { PartlyWritten, type WriteProgress } from './partly-written.js';
import { refusalCode } from './refusal-code.js';
import { insertEachAlone, type Refusal, type RowsFound, type Stopped } from './refused-rows.js';
import type { EarlierCommits, KeyFound } from './unanswered-commits.js';
import { alteredReason, type WriteOptions, writeAndVerify } from './verify-stored.js';

export interface BatchWrite {
  /** The target's name, for the reason of a code in no list. */
  target: string;
  table: string;
  /** How rows are inserted and checked; `batch` is this call's batch number. */
  write: WriteOptions;
  exchange?: ExchangeStatusCodes;
  /** `EXCHANGE_STATUS` is a numeric column (./exchange-columns.ts). */
  statusIsNumber: boolean;
  /**
   * The table's engine, when it keeps no transactions (MyISAM, ./engine-transactions.ts): a row not
   * found after its insert is not retried. @defaultValue none: an engine with transactions
   */
  noTransactions?: string;
  /**
   * Filled with each row's answer as rows are written one by one, for a send given up before the
   * write ends; set given up, no further row is begun. @defaultValue none
   */
  progress?: WriteProgress;
}

/** The answer of a row the database refused for its values. */
function refusedOutcome(key: string, table: string, { code, column }: Refusal): DeliveryOutcome {
  return {
    key,
    state: 'failed',
    retryable: true,
    // The code and the column only: the driver's message quotes the refused value.
    reasons: [
      `exchange table ${table} refused the row (${column === undefined ? '' : `column ${column}, `}${code})`,
    ],
    // A refusal of the row's values, whatever the table's or column's name reads like.
    failure: 'other',
  };
}

/**
 * The outcome of a delivery whose row the send found no trace of after inserting it. Named, as a
 * dead letter's reason is read without the config at hand: which table, whose. The database took
 * the insert without an error: what on the table keeps no such row is named, for a person reading
 * the dead letter to look for. On a table without transactions the row was the exchange system's
 * to take from its insert on, before the send read it back: retried, it was written again, and a
 * row the exchange system had taken reached it twice. So it is not retried, and the reason says to
 * ask the exchange system before a replay.
 */
function notFound(key: string, target: string, table: string, noTransactions?: string): DeliveryOutcome {
  const lookedUp = `target ${target}: exchange row not found after insert into ${table} (looked up by ${COLUMNS.key}): `;
  return noTransactions
    ? {
        key,
        state: 'failed',
        retryable: false,
        reasons: [
          `${lookedUp}the table's engine (${noTransactions}) keeps no transactions, so the exchange system could see the row and take it out as soon as it was inserted, before the send read it back; or something on the table rewrites its ${COLUMNS.key} (a trigger). It is not written again on its own, which would give the exchange system a second copy if it took the first. Ask the exchange system whether it holds the license before replaying the dead letter`,
        ],
        failure: 'no-result',
      }
    : {
        key,
        state: 'failed',
        retryable: true,
        reasons: [
          `${lookedUp}the database took the insert without an error, so something on the table drops the row, moves it elsewhere or rewrites its ${COLUMNS.key} (a trigger, a rule)`,
        ],
        failure: 'no-result',
      };
}

/**
 * The outcome of a delivery whose earlier send's COMMIT went unanswered, the database unable to
 * tell whether it committed, and whose row the table no longer holds: never written, or written
 * and taken out since by the exchange system. Written again, the exchange system that had taken
 * the first took the license a second time; answered written, a license never written was
 * recorded delivered. So it is not retried, and the reason says to ask the exchange system.
 */
function commitUnknown(key: string, target: string, table: string): DeliveryOutcome {
  return {
    key,
    state: 'failed',
    retryable: false,
    reasons: [
      `target ${target}: an earlier send's COMMIT into exchange table ${table} went unanswered (the connection lost, or the send given up) and the database cannot tell whether it committed; the table holds no row of the delivery now (looked up by ${COLUMNS.key}), so the row was either never written or written and taken out since by the exchange system. It is not written again on its own, which would give the exchange system a second copy if it took the first. Ask the exchange system whether it holds the license before replaying the dead letter`,
    ],
    failure: 'no-result',
  };
}

/** What a key's rows read back give its delivery's answer: the row's code and batch that decide. */
interface RowsAnswer {
  /** The `BATCH_NO` the answer names: this send's, or a lone earlier row's. @defaultValue none */
  batchNo?: string;
  /** With `exchangeStatus`, the code the rows decide by (./exchange-status.ts `stateOfRows`). */
  state?: ExchangeState;
}

/**
 * The answer of a key's rows (two where the table's `DELIVERY_KEY` is not unique), by the rule the
 * poll decides by (./exchange-status.ts `stateOfRows`): this send's own row decides; without it,
 * rows that decide alike decide, and rows that do not are a dead letter naming their codes. A
 * lone earlier row is named, for the poll to decide by; of two earlier rows none is known as the
 * delivery's, and the answer names none. The last row read decided, in the database's scan order:
 * a key holding an earlier send's row taken in and an older copy not picked up was answered
 * accepted or submitted as the scan gave them, and submitted it named the copy, by which alone the
 * poll then decided: a license the exchange system took in read as refused once it refused the copy.
 */
function answerOfRows(
  rows: readonly Record<string, unknown>[],
  batch: string,
  exchange: ExchangeStatusCodes | undefined,
  statusIsNumber: boolean,
): RowsAnswer {
  // In a defined order (BATCH_NO, as the poll reads them): the code a receipt keeps is not the scan's.
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [batchOf(a) ?? '', batchOf(b) ?? ''];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const own = sorted.some((r) => batchOf(r) === batch);
  const batchNo = own ? batch : sorted.length === 1 ? batchOf(sorted[0] ?? {}) : undefined;
  const state = exchange && stateOfRows(sorted, batch, exchange, statusIsNumber);
  return { ...(batchNo === undefined ? {} : { batchNo }), ...(state ? { state } : {}) };
}

/** Adds what was read back of `key`'s rows to `found`. */
function addFound(found: RowsFound, key: string, { altered, changed, held }: KeyFound): void {
  if (altered) found.altered.set(key, altered);
  if (changed) found.changed.set(key, changed);
  if (held) found.held.set(key, held);
}

/**
 * Writes `rows` (in one transaction, or each alone when one is refused for its values) and returns
 * each delivery key's outcome. A failure that is no row's (the database gone, the time up) is thrown:
 * as it is when no row is answered, else as `PartlyWritten`, with the answers of the rows written
 * (or refused) before it.
 */
export async function writeBatch(
  k: Knex,
  rows: readonly Record<string, unknown>[],
  { target, table, write, exchange, statusIsNumber, noTransactions, progress }: BatchWrite,
): Promise<Map<string, DeliveryOutcome>> {
  const { batch, deadline } = write;
  const keys = rows.map((r) => r[COLUMNS.key] as string);
  const found: RowsFound = {
    refused: new Map(),
    altered: new Map(),
    changed: new Map(),
    held: new Map(),
    withheld: new Set(),
  };
  let stopped: Stopped | undefined;
  const writing = { ...write, answerColumns: stateColumns(exchange) };
  /** A key's answer from what was found of it; undefined while no row of it was read. */
  const answerOf = (key: string): DeliveryOutcome | undefined => {
    if (found.withheld.has(key)) return commitUnknown(key, target, table);
    const how = found.altered.get(key);
    // Retrying stores the same, or finds the same row left there: a person widens the column or
    // fixes its character set, or looks at the row an earlier send left.
    if (how) return { key, state: 'rejected', reasons: [alteredReason(table, how)] };
    const refusal = found.refused.get(key);
    if (refusal) return refusedOutcome(key, table, refusal);
    const rows = found.held.get(key);
    if (rows === undefined || rows.length === 0) return undefined;
    // A CHAR BATCH_NO wider than the batch number comes back padded (PostgreSQL): compared
    // as read, every row this call wrote was answered a duplicate of an earlier send.
    const { batchNo, state } = answerOfRows(rows, batch, exchange, statusIsNumber);
    const differs = found.changed.get(key);
    const receipt = {
      ...(batchNo === undefined ? {} : { batchNo }),
      duplicate: batchNo !== batch,
      ...(differs ? { earlierRowDiffers: differs } : {}),
    };
    return exchange && state
      ? // A row already there (a send whose answer was lost) answers what the exchange system made of it.
        outcomeOfCode(key, state, exchange, { target, table }, receipt)
      : { key, state: 'accepted', platformId: key, receipt };
  };
  const settled = (key: string) => {
    const answer = answerOf(key);
    if (answer && progress) progress.answered.set(key, answer);
  };
  // A key whose earlier transaction committed with its answer lost is answered from what that
  // transaction read, not written again: the exchange system may have taken its row out since
  // (./unanswered-commits.ts).
  // One whose earlier transaction's fate the database cannot tell is written where its row is left
  // only (./verify-stored.ts `unknown`).
  const asked: EarlierCommits = write.commits
    ? await write.commits.committed(k, keys, deadline)
    : { found: new Map(), unknown: new Set() };
  const earlier = asked.found;
  if (asked.unknown.size > 0) writing.unknown = asked.unknown;
  for (const [key, f] of earlier) {
    addFound(found, key, f);
    settled(key);
  }
  const fresh = earlier.size === 0 ? rows : rows.filter((r) => !earlier.has(r[COLUMNS.key] as string));
  const freshKeys = fresh.map((r) => r[COLUMNS.key] as string);
  try {
    if (fresh.length > 0) {
      for (const key of freshKeys) progress?.begun.add(key);
      const write = (trx: Knex.Transaction) => writeAndVerify(trx, table, fresh, writing);
      const verified = writing.commits
        ? await writing.commits.inTransaction(
            k,
            fresh.map((r) => r[COLUMNS.key] as string),
            write,
          )
        : await k.transaction(write);
      for (const [key, how] of verified.altered) found.altered.set(key, how);
      for (const [key, columns] of verified.changed) found.changed.set(key, columns);
      for (const [key, row] of verified.held) found.held.set(key, row);
      for (const key of verified.withheld) found.withheld.add(key);
    }
  } catch (batchError) {
    // One row refused for its values fails the whole insert: the others go in one by one.
    if (refusalCode(batchError) !== undefined && (fresh.length > 1 || earlier.size > 0)) {
      // Refused whole and rolled back, the batch's insert stored nothing: a row is begun again
      // only as it is written alone, and one never reached before a failure is no attempt.
      for (const key of freshKeys) progress?.begun.delete(key);
      const each = progress && {
        begin: (key: string) => progress.begun.add(key),
        settled,
        givenUp: () => progress.givenUp,
      };
      stopped = await insertEachAlone(k, table, fresh, writing, found, each);
      if (found.refused.size === fresh.length && earlier.size === 0) throw batchError;
    } else if (earlier.size > 0) {
      // The keys answered from an earlier commit keep their answers: asked once, not again.
      stopped = { cause: batchError, keys: freshKeys, notBegun: [] };
    } else throw batchError;
  }
  /** By key, the failure a row met, unwritten (or its commit unanswered), or unread after the commit. */
  const unanswered = new Map<string, unknown>();
  for (const key of stopped?.keys ?? []) unanswered.set(key, stopped?.cause);
  // Each row is answered as the transaction read it after its insert: gone since the commit, it
  // was taken out by the exchange system (or by hand), and written again on a retry, delivered
  // twice. Read after the commit only when the transaction saw none: a send of the same key
  // committed meanwhile, invisible to a MySQL transaction's snapshot.
  const unseen = keys.filter((key) => !unanswered.has(key) && answerOf(key) === undefined);
  const columns = [COLUMNS.key, COLUMNS.batch, ...stateColumns(exchange)];
  try {
    for await (const late of rowsOfKeys(k, table, columns, unseen, write.keyPadTo, deadline)) {
      for (const h of late) found.held.set(keyOf(h), [...(found.held.get(keyOf(h)) ?? []), h]);
    }
  } catch (e) {
    // Only the keys still unread are unknown: the others were answered in their transactions.
    for (const key of unseen) if (!found.held.has(key)) unanswered.set(key, e);
  }
  const outcomes = new Map<string, DeliveryOutcome>();
  for (const key of keys) {
    if (!unanswered.has(key))
      outcomes.set(key, answerOf(key) ?? notFound(key, target, table, noTransactions));
  }
  // A send given up has answered its rows failed already: their notes stay for the next send to ask.
  if (!progress?.givenUp) write.commits?.answered(outcomes.keys());
  if (unanswered.size === 0) return outcomes;
  // Met before any row was written or refused: the send fails whole, as any other failure.
  if (outcomes.size === 0) throw unanswered.values().next().value;
  throw new PartlyWritten(outcomes, unanswered, new Set(stopped?.notBegun ?? []));
}
