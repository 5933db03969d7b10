/**
 * What the city's exchange system says of a row by the code it writes into `EXCHANGE_STATUS`
 * (STANDARDS.md §5: platforms accept first and validate later). With `exchangeStatus` configured,
 * a written row is a `submitted` delivery until the exchange system sets one of the configured
 * codes; `0`, which licbridge writes, means it has not picked the row up yet.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { cutText } from '../shared/platform-text.js';
import type { DeliveryOutcome } from '../target.js';
import type { ExchangeStatusCodes } from './config.js';
import { COLUMNS, keyBinds, keyOf, rowsOfKeys } from './exchange-table.js';
import type { StatementDeadline } from './insert-new-keys.js';
import { plainNumber } from './plain-number.js';

/** What licbridge writes into `EXCHANGE_STATUS`: not picked up yet. */
export const NOT_PICKED_UP = '0';

/**
 * Longest reason text kept from the exchange system's reason column, in characters; the reason
 * stands last in the outcome's reason (`outcomeOfCode`), so its cut mark ends it.
 */
const REASON_MAX = 500;

/** A row's code and, when a reason column is configured, the exchange system's reason. */
export interface ExchangeState {
  code: string;
  reason?: string;
  /** Read from a numeric column: the code compares with the configured ones by value. */
  byValue?: boolean;
  /**
   * The codes of a key's rows that decide otherwise, none of them known as the row the delivery
   * wrote (a table whose `DELIVERY_KEY` is not unique): the decision is unknown.
   */
  disagreeing?: string[];
}

/** A problem of an `exchangeStatus` setting: where below it, and what. */
export interface ExchangeStatusProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The checks the schema cannot make: a code in both lists, the code licbridge writes itself
 * (every row would be decided the moment it is written), or a reason column licbridge writes. The config loader runs them through the
 * kind's spec (./kind.ts), so `config check` refuses such a config with its file and line.
 */
export function exchangeStatusProblems(codes: ExchangeStatusCodes, byValue = false): ExchangeStatusProblem[] {
  const problems: ExchangeStatusProblem[] = [];
  for (const list of ['accepted', 'rejected'] as const) {
    const i = codes[list].findIndex((c) => sameCode(c, NOT_PICKED_UP, byValue));
    if (i < 0) continue;
    problems.push({
      path: [list, i],
      message: `expected codes the exchange system writes, got \`${codes[list][i]}\` in \`${list}\`: licbridge writes ${NOT_PICKED_UP} (not picked up yet), so every row would read as decided at once`,
    });
  }
  // A column licbridge writes holds no refusal's reason: PAYLOAD would put the license, personal
  // data and all, into every dead letter's reason; EXCHANGE_STATUS would repeat the code.
  const own = Object.values(COLUMNS).find((c) => c.toUpperCase() === codes.reasonColumn?.toUpperCase());
  if (own !== undefined) {
    problems.push({
      path: ['reasonColumn'],
      message: `expected the column the exchange system writes its reason into, got \`${codes.reasonColumn}\`, which licbridge writes (${own})`,
    });
  }
  // Each later list against the ones before it: a code means one thing.
  const lists = (['accepted', 'rejected', 'pending'] as const).flatMap((name) => {
    const list = codes[name];
    return list ? [{ name, list }] : [];
  });
  for (const [n, { name, list }] of lists.entries()) {
    for (const earlier of lists.slice(0, n)) {
      const i = list.findIndex((c) => earlier.list.some((e) => sameCode(e, c, byValue)));
      const both = list[i];
      if (both === undefined) continue;
      problems.push({
        path: [name, i],
        message: `code \`${both}\` is in both \`${earlier.name}\` and \`${name}\`; a code means one thing`,
      });
    }
  }
  return problems;
}

/**
 * The same checks for a config that did not come through the loader (written in code), and, with
 * `byValue`, for an `EXCHANGE_STATUS` the table declares numeric, where `1` and `1.0` are one code
 * and `00` is the `0` licbridge writes: the first problem thrown.
 */
export function checkExchangeStatus(target: string, codes: ExchangeStatusCodes, byValue = false): void {
  const first = exchangeStatusProblems(codes, byValue)[0];
  if (!first) return;
  const field = `targets.${target}.exchangeStatus`;
  const numeric = byValue ? ' (EXCHANGE_STATUS is a numeric column: codes compare as numbers)' : '';
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: \`${field}\`: ${first.message}${numeric}`,
    { context: { target } },
  );
}

/**
 * A column's value as a code: numeric columns and CHAR padding compare as the configured text. A
 * blank is no code, as NULL is (Oracle stores the one as the other): read as a code in no list, a
 * row the exchange system blanked was a dead letter on MySQL or PostgreSQL and undecided on Oracle.
 */
function codeOf(value: unknown): string {
  const code = value === null || value === undefined ? '' : String(value).trim();
  return code === '' ? NOT_PICKED_UP : code;
}

/**
 * Whether two codes are one: as trimmed text, and for a numeric `EXCHANGE_STATUS` (`byValue`) as
 * numbers too — such a column holds the configured `01` as 1, which PostgreSQL and MySQL hand back
 * as `1` or, from a DECIMAL(3,1), `1.0`; compared as text, no read code matched its list and every
 * decided row was a dead letter, `0.0` (not picked up) among them. A text column's `01` is no `1`.
 */
function sameCode(a: string, b: string, byValue: boolean): boolean {
  if (a.trim() === b.trim()) return true;
  if (!byValue) return false;
  const n = plainNumber(a);
  return n !== undefined && n === plainNumber(b);
}

/** Whether a configured list holds the read code. */
function listed(list: readonly string[], { code, byValue }: ExchangeState): boolean {
  return list.some((c) => sameCode(c, code, byValue === true));
}

/** Longest code quoted back in a dead letter's reason. */
const CODE_MAX = 32;

/** Where a read code was read: the target and its exchange table. */
export interface CodeSource {
  target: string;
  table: string;
}

/**
 * The outcome the code means: accepted, rejected with the code (and the exchange system's reason),
 * still `submitted` for `0` and the `pending` codes, and for any other code a dead letter naming
 * it. Left `submitted`, a code the config does not know (a new code of the exchange system, a
 * typo in a list) would keep the delivery and its successors waiting for a code that has come,
 * with nothing saying which; a replay once the code is listed reads it again.
 */
export function outcomeOfCode(
  key: string,
  state: ExchangeState,
  codes: ExchangeStatusCodes,
  { target, table }: CodeSource,
  receipt?: Record<string, unknown>,
): DeliveryOutcome {
  const withReceipt = receipt === undefined ? {} : { receipt: { ...receipt, exchangeStatus: state.code } };
  if (state.disagreeing) {
    const field = `targets.${target}.exchangeStatus`;
    const all = state.disagreeing.map((c) => c.slice(0, CODE_MAX)).join(', ');
    return {
      key,
      state: 'failed',
      retryable: false,
      platformId: key,
      reasons: [
        `target ${target}: exchange table ${table} holds ${state.disagreeing.length} rows for ${COLUMNS.key} ${key} (the column has no unique index), with EXCHANGE_STATUS ${all}, which \`${field}\` reads as different decisions, and none is known as the row this delivery wrote: what the exchange system decided is unknown. Ask the exchange system which row it holds the license by and delete the other, then replay the dead letter`,
      ],
      failure: 'results-disagree',
      ...withReceipt,
    };
  }
  if (listed(codes.accepted, state)) {
    return { key, state: 'accepted', platformId: key, ...withReceipt };
  }
  if (listed(codes.rejected, state)) {
    const why = state.reason ? `: ${state.reason}` : '';
    return {
      key,
      state: 'rejected',
      platformId: key,
      reasons: [`exchange system refused the row of ${table} (EXCHANGE_STATUS ${state.code})${why}`],
      ...withReceipt,
    };
  }
  if (listed([NOT_PICKED_UP], state) || listed(codes.pending ?? [], state)) {
    return { key, state: 'submitted', platformId: key, ...withReceipt };
  }
  const field = `targets.${target}.exchangeStatus`;
  return {
    key,
    state: 'failed',
    retryable: false,
    platformId: key,
    reasons: [
      `target ${target}: exchange table ${table} holds EXCHANGE_STATUS \`${state.code.slice(0, CODE_MAX)}\` for ${COLUMNS.key} ${key}, a code in none of \`${field}\` accepted, rejected or pending: what the exchange system decided is unknown; add the code to the list it belongs to, then replay the dead letter`,
    ],
    failure: 'unknown-status',
    ...withReceipt,
  };
}

/** The columns read for a row's state (the key first). */
export function stateColumns(codes: ExchangeStatusCodes | undefined): string[] {
  if (!codes) return [];
  return codes.reasonColumn ? [COLUMNS.exchangeStatus, codes.reasonColumn] : [COLUMNS.exchangeStatus];
}

/**
 * A read-back row's state (`stateColumns` selected). `numericColumn`: the table declares
 * `EXCHANGE_STATUS` a number; a value the driver hands back as a number (SQLite's INTEGER, Oracle's
 * NUMBER) compares by value too.
 */
export function stateOf(
  row: Record<string, unknown>,
  codes: ExchangeStatusCodes,
  numericColumn = false,
): ExchangeState {
  const value = row[COLUMNS.exchangeStatus];
  const code = codeOf(value);
  const byValue = numericColumn || typeof value === 'number' || typeof value === 'bigint';
  const raw = codes.reasonColumn ? row[codes.reasonColumn] : undefined;
  // Cut marked, for the deliver stage masks the license's values after: a name or ID number the
  // cut went through was kept in part, which the masking of the whole value did not find.
  const reason = typeof raw === 'string' ? cutText(raw.trim(), REASON_MAX) : undefined;
  return { code, ...(reason ? { reason } : {}), ...(byValue ? { byValue } : {}) };
}

/** What a state's code decides, to tell rows of one key that agree from rows that do not. */
function decisionOf(state: ExchangeState, codes: ExchangeStatusCodes): string {
  if (listed(codes.accepted, state)) return 'accepted';
  if (listed(codes.rejected, state)) return 'rejected';
  if (listed([NOT_PICKED_UP], state) || listed(codes.pending ?? [], state)) return 'submitted';
  return `unknown ${state.code}`;
}

/** A row's `BATCH_NO` as written: a CHAR column pads it (PostgreSQL). */
export function batchOf(row: Record<string, unknown>): string | undefined {
  const read = row[COLUMNS.batch];
  return typeof read === 'string' ? read.trimEnd() : undefined;
}

/**
 * The state of one key from its rows (read in a defined order). A table whose `DELIVERY_KEY` has no
 * unique index may hold two rows of a key (written twice by an older licbridge, by two sends at
 * once, by hand): the row the delivery wrote (`batch`, from its answer) decides; without it, the
 * rows when they decide alike, else a state carrying every code (`disagreeing`). Read into a map
 * by key, the last row read decided, in the database's scan order: a license taken in could read
 * as refused, or the reverse. A send's read-back decides by the same rule (./write-batch.ts).
 */
export function stateOfRows(
  rows: readonly Record<string, unknown>[],
  batch: string | undefined,
  codes: ExchangeStatusCodes,
  numericColumn: boolean,
): ExchangeState | undefined {
  const own = batch === undefined ? [] : rows.filter((r) => batchOf(r) === batch);
  const states = (own.length > 0 ? own : rows).map((r) => stateOf(r, codes, numericColumn));
  const [first] = states;
  if (first === undefined || new Set(states.map((s) => decisionOf(s, codes))).size === 1) return first;
  return { ...first, disagreeing: states.map((s) => s.code) };
}

/**
 * The state of each key's row, in one statement (callers cut the keys into batches); a key whose
 * row is not in the table is absent from the map. `batches`: by key, the `BATCH_NO` of the row the
 * delivery was answered from, which decides among rows of one key.
 */
export async function readExchangeStates(
  k: Knex,
  table: string,
  keys: readonly string[],
  codes: ExchangeStatusCodes,
  deadline: StatementDeadline,
  numericColumn = false,
  keyPadTo?: number,
  batches: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, ExchangeState>> {
  const rows: Record<string, unknown>[] = await k(table)
    .select(COLUMNS.key, COLUMNS.batch, ...stateColumns(codes))
    .whereIn(COLUMNS.key, keyBinds(keys, keyPadTo))
    .orderBy([COLUMNS.key, COLUMNS.batch, COLUMNS.exchangeStatus])
    .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  const byKey = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const key = keyOf(r);
    const held = byKey.get(key);
    if (held) held.push(r);
    else byKey.set(key, [r]);
  }
  const states = new Map<string, ExchangeState>();
  for (const key of keys) {
    const state = stateOfRows(byKey.get(key) ?? [], batches.get(key), codes, numericColumn);
    if (state) states.set(key, state);
  }
  return states;
}

/**
 * The rows among `keys` the exchange system refused, taken out before they are written again: a
 * delivery sent again after a refusal (a dead letter replayed once the cause is fixed, or a send
 * whose answer was lost) offers its row anew, instead of finding the refused row and being refused
 * by it forever. Rows still undecided or taken in are left as they are.
 */
export async function removeRefusedRows(
  trx: Knex.Transaction,
  table: string,
  keys: readonly string[],
  rejected: readonly string[],
  deadline: StatementDeadline,
  { numericColumn = false, keyPadTo }: { numericColumn?: boolean; keyPadTo?: number } = {},
): Promise<void> {
  // Codes compared as every read compares them (trimmed; by value in a numeric column): a CHAR(2)
  // column holds a refusal as `9 `, which Oracle's `= '9'` does not match, and a DECIMAL one as
  // `9.0`; the refused row would refuse the key forever.
  const columns = [COLUMNS.key, COLUMNS.exchangeStatus];
  for await (const rows of rowsOfKeys(trx, table, columns, keys, keyPadTo, deadline)) {
    const refused = rows.filter((r) =>
      listed(rejected, stateOf(r, { accepted: [], rejected }, numericColumn)),
    );
    if (refused.length === 0) continue;
    // Only the refused rows, told by their code as read (padded, or as the number the driver gave):
    // by key alone, a key holding two rows (a table whose key is not unique, written twice by an
    // older licbridge or by two sends at once) lost the row the exchange system had taken in too,
    // and the license was offered to it again.
    await trx(table)
      .whereIn(COLUMNS.key, keyBinds([...new Set(refused.map(keyOf))], keyPadTo))
      .whereIn(COLUMNS.exchangeStatus, [
        ...new Set(refused.map((r) => r[COLUMNS.exchangeStatus])),
      ] as string[])
      .delete()
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  }
}
