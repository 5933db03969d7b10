/**
 * A send to an Oracle or DM front database writes its rows one by one (their key's duplicates
 * told apart by the insert's refusal), each in a savepoint. knex's Oracle client, on which the DM
 * client is built, commits the connection when a nested transaction (its savepoint) ends, and
 * every statement after that on its own: the first row was committed as it was inserted, and each
 * row after it, before the send read its rows back. The exchange system could take a row stored
 * cut (a `ZZBS` narrower than the identifier) before the send took it out again, and rows of a
 * send that failed halfway stayed in the table. Now nothing the send writes is committed before its
 * own commit. No Oracle or DM server runs in the tests: knex's clients run against a stand-in that
 * keeps a transaction's rows apart until the connection commits, and notes what the exchange
 * system could see at each commit.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import type { StatementDeadline } from '../../adapters/platforms/front-db/insert-new-keys.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import { dmKnexClient } from '../../connectors/sql/dialects/dm/knex-client.js';

const TABLE = 'UP_LIC_DATA';
const deadline: StatementDeadline = { remainingMs: () => 5_000, cancel: false };
/** The city's `ZZBS` width: an identifier longer is stored cut, as a database without strict checks does. */
const ZZBS_WIDTH = 12;

/**
 * An exchange table: `committed` what the exchange system sees, the open transaction's inserts and
 * deletes kept apart until the connection commits. `seen` lists the keys it could see after each
 * commit.
 */
function exchangeTable() {
  const committed: Record<string, unknown>[] = [];
  let inserted: Record<string, unknown>[] = [];
  let deleted = new Set<string>();
  const seen: string[][] = [];
  const keyOf = (r: Record<string, unknown>) => String(r[COLUMNS.key]);
  const visible = () => [...committed.filter((r) => !deleted.has(keyOf(r))), ...inserted];
  const matching = (bindings: unknown[]) => {
    const bound = new Set(bindings.filter((b) => typeof b === 'string'));
    return visible().filter((r) => bound.has(keyOf(r)));
  };
  const answer = (sql: string, bindings: unknown[]): unknown[] => {
    if (/^(savepoint|rollback|release)/i.test(sql)) return [];
    if (/^insert/i.test(sql)) {
      const columns = (/\(([^)]*)\) values/i.exec(sql)?.[1] ?? '')
        .split(',')
        .map((c) => c.trim().replaceAll('"', ''));
      const row = Object.fromEntries(columns.map((c, i) => [c, bindings[i]]));
      row[COLUMNS.identifier] = String(row[COLUMNS.identifier]).slice(0, ZZBS_WIDTH);
      if (visible().some((r) => keyOf(r) === keyOf(row))) {
        throw Object.assign(new Error('ORA-00001: unique constraint violated'), { errorNum: 1 });
      }
      inserted.push(row);
      return [];
    }
    if (/^select/i.test(sql)) return matching(bindings).map((r) => ({ ...r }));
    if (/^delete/i.test(sql)) {
      for (const r of matching(bindings)) {
        if (inserted.includes(r)) inserted.splice(inserted.indexOf(r), 1);
        else deleted.add(keyOf(r));
      }
      return [];
    }
    throw new Error(`stand-in: no answer for ${sql}`);
  };
  const connection = {
    executeAsync: async (sql: string, bindings: unknown[]) => {
      const rows = answer(sql.trim(), bindings);
      return { rows, rowsAffected: rows.length };
    },
    commitAsync: async () => {
      for (let i = committed.length - 1; i >= 0; i -= 1) {
        if (deleted.has(keyOf(committed[i] ?? {}))) committed.splice(i, 1);
      }
      committed.push(...inserted);
      inserted = [];
      deleted = new Set();
      seen.push(committed.map(keyOf));
    },
    rollbackAsync: async () => {
      inserted = [];
      deleted = new Set();
    },
  };
  return { committed, connection, seen };
}

const row = (key: string, identifier: string): Record<string, unknown> => ({
  [COLUMNS.key]: key,
  [COLUMNS.batch]: 'B1',
  [COLUMNS.opType]: 'I',
  [COLUMNS.time]: '2026-12-01T10:00:00.000Z',
  [COLUMNS.dataSource]: '11370211MB1234567X',
  [COLUMNS.licenseId]: `L-${key}`,
  [COLUMNS.version]: 1,
  [COLUMNS.identifier]: identifier,
  [COLUMNS.opCode]: '01',
  [COLUMNS.status]: '01',
  [COLUMNS.payload]: '{}',
  [COLUMNS.signature]: '{}',
  [COLUMNS.exchangeStatus]: '0',
});

const CLIENTS: { name: string; client: () => Knex.Config['client'] }[] = [
  { name: 'Oracle', client: () => 'oracledb' },
  { name: 'DM', client: () => dmKnexClient() as unknown as Knex.Config['client'] },
];

describe.each(CLIENTS)('front-db on $name: rows written one by one', ({ client }) => {
  it('are committed once, at the end of the send: a row stored cut never seen by the exchange system', async () => {
    const table = exchangeTable();
    const k = knexModule({ client: client() });
    const c = k.client as unknown as Record<string, unknown>;
    c.acquireConnection = async () => table.connection;
    c.releaseConnection = async () => {};
    const rows = [row('K1', 'ZZBS-K1'), row('K2', 'ZZBS-K2-LONGER-THAN-ITS-COLUMN'), row('K3', 'ZZBS-K3')];

    const out = await writeBatch(k, rows, {
      target: 'city',
      table: TABLE,
      write: { style: 'row-by-row', chunk: 50, deadline, batch: 'B1' },
      statusIsNumber: false,
    });

    expect(out.get('K1')).toMatchObject({ state: 'accepted' });
    expect(out.get('K2')).toMatchObject({ state: 'rejected' });
    expect(out.get('K3')).toMatchObject({ state: 'accepted' });
    // Whatever the commits, the exchange system never saw the cut row, nor a row before the check.
    expect(table.seen.filter((keys) => keys.length > 0)[0]).toEqual(['K1', 'K3']);
    expect(table.seen.flat()).not.toContain('K2');
    expect(table.committed.map((r) => r[COLUMNS.key])).toEqual(['K1', 'K3']);
  });
});
