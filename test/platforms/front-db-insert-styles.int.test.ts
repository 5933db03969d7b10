/**
 * The three ways a front database skips a delivery key already there (adapters/platforms/front-db/
 * insert-new-keys.ts). SQL Server and Oracle servers cannot run here: their knex clients (with the
 * real `mssql` and `oracledb` packages) show which statements each style builds, and the
 * `row-by-row` style they use runs for real on PostgreSQL and SQLite, where a failed statement is
 * harshest (PostgreSQL ends the whole transaction on one).
 */
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { COLUMNS, ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { type DuplicateStyle, insertNewKeys } from '../../adapters/platforms/front-db/insert-new-keys.js';
import type { SourceKindSpec } from '../../connectors/kind-spec.js';
import { SOURCE_KINDS } from '../../connectors/kinds.js';
import { LicbridgeError } from '../../core/errors.js';
import { makeTempDir } from '../signers/helpers.js';
import { deliveryItem, HOLDER_NAME } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

function row(key: string, batch: string, payload = '{}'): Record<string, unknown> {
  return {
    [COLUMNS.key]: key,
    [COLUMNS.batch]: batch,
    [COLUMNS.opType]: 'I',
    [COLUMNS.time]: '2026-11-30T00:00:00.000Z',
    [COLUMNS.dataSource]: '11370211MB1234567X',
    [COLUMNS.licenseId]: `L-${key}`,
    [COLUMNS.version]: 1,
    [COLUMNS.identifier]: `Z-${key}`,
    [COLUMNS.opCode]: '01',
    [COLUMNS.status]: '1',
    [COLUMNS.payload]: payload,
    [COLUMNS.signature]: '{}',
    [COLUMNS.exchangeStatus]: '0',
  };
}

describe('every front-database kind builds its duplicate-skipping statements with its own knex client', () => {
  const kinds = (SOURCE_KINDS as readonly SourceKindSpec[]).filter((k) => k.frontDb !== undefined);

  it('covers SQL Server, Oracle and DM, which use row-by-row', () => {
    const styles = Object.fromEntries(kinds.map((k) => [k.kind, k.frontDb?.onDuplicate]));
    expect(styles).toMatchObject({
      mssql: 'row-by-row',
      oracle: 'row-by-row',
      postgres: 'ignore',
      mysql: 'merge',
    });
  });

  for (const kind of kinds) {
    it(`${kind.kind}: the statements of its style compile`, async () => {
      const spec = kind.frontDb as NonNullable<typeof kind.frontDb>;
      const client = (
        typeof spec.knexClient === 'string' ? spec.knexClient : await spec.knexClient()
      ) as Knex.Config['client'];
      const k = knex({ client, useNullAsDefault: true });
      const style = kind.frontDb?.onDuplicate as DuplicateStyle;
      const statements =
        style === 'row-by-row'
          ? [
              k(TABLE).insert(row('A', 'B')).toSQL(),
              k(TABLE).first(COLUMNS.key).where(COLUMNS.key, 'A').toSQL(),
            ]
          : [
              (style === 'merge'
                ? k(TABLE)
                    .insert([row('A', 'B'), row('C', 'B')])
                    .onConflict(COLUMNS.key)
                    .merge([COLUMNS.key])
                : k(TABLE)
                    .insert([row('A', 'B'), row('C', 'B')])
                    .onConflict(COLUMNS.key)
                    .ignore()
              ).toSQL(),
            ];
      for (const s of [statements].flat()) expect(s.sql.length).toBeGreaterThan(0);
      if (style === 'row-by-row') {
        // What knex refuses for these clients, and why the style exists.
        expect(() => k(TABLE).insert(row('A', 'B')).onConflict(COLUMNS.key).ignore().toSQL()).toThrow(
          /not supported/,
        );
      }
    });
  }
});

const BACKENDS: { name: string; open(dir: string): Knex }[] = [
  {
    name: 'PostgreSQL',
    open: () =>
      knex({
        client: 'pg',
        connection: { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' },
        pool: { min: 0, max: 2 },
      }),
  },
  {
    name: 'SQLite',
    open: (dir) =>
      knex({
        client: 'better-sqlite3',
        connection: { filename: join(dir, 'front.db') },
        useNullAsDefault: true,
      }),
  },
];

for (const backend of BACKENDS) {
  describe(`row-by-row on ${backend.name}`, () => {
    let k: Knex;
    let cleanup: () => void;
    const table = `${TABLE}_RBR_${process.pid}`;
    const narrow = `${TABLE}_NARROW_${process.pid}`;

    beforeAll(async () => {
      let dir: string;
      ({ dir, cleanup } = makeTempDir());
      k = backend.open(dir);
      await k.schema.dropTableIfExists(table);
      await k.schema.dropTableIfExists(narrow);
      await ensureExchangeTable(k, table);
      await k.schema.createTable(narrow, (t) => {
        t.string(COLUMNS.key, 200).primary();
        for (const c of Object.values(COLUMNS))
          if (c !== COLUMNS.key && c !== COLUMNS.payload) t.string(c, 200);
        // Too short for a payload: PostgreSQL refuses the value; SQLite has no lengths, so a CHECK does it.
        t.string(COLUMNS.payload, 10);
        t.check(`length(${k.client.wrapIdentifier(COLUMNS.payload, (v: string) => `"${v}"`)}) <= 10`);
      });
    });
    afterAll(async () => {
      await k.schema.dropTableIfExists(table);
      await k.schema.dropTableIfExists(narrow);
      await k.destroy();
      cleanup();
    });

    const contents = async (t: string) =>
      (await k(t).select(COLUMNS.key, COLUMNS.batch).orderBy(COLUMNS.key)) as Record<string, string>[];

    it('inserts new keys, keeps a key already there as it was, and replays to the same rows', async () => {
      await k.transaction((trx) =>
        insertNewKeys(trx, table, [row('K1', 'FIRST'), row('K2', 'FIRST')], 'row-by-row'),
      );
      await k.transaction((trx) =>
        insertNewKeys(
          trx,
          table,
          [row('K2', 'SECOND'), row('K3', 'SECOND'), row('K1', 'SECOND')],
          'row-by-row',
        ),
      );
      expect(await contents(table)).toEqual([
        { DELIVERY_KEY: 'K1', BATCH_NO: 'FIRST' },
        { DELIVERY_KEY: 'K2', BATCH_NO: 'FIRST' },
        { DELIVERY_KEY: 'K3', BATCH_NO: 'SECOND' },
      ]);
    });

    it('gives the same rows as on-conflict-do-nothing for the same batches', async () => {
      const other = `${table}_IGN`;
      await k.schema.dropTableIfExists(other);
      await ensureExchangeTable(k, other);
      const batches = [
        [row('A', '1'), row('B', '1')],
        [row('B', '2'), row('C', '2'), row('A', '2'), row('D', '2')],
      ];
      for (const [t, style] of [
        [table, 'row-by-row'],
        [other, 'ignore'],
      ] as const) {
        await k(t).delete();
        for (const b of batches) await k.transaction((trx) => insertNewKeys(trx, t, b, style, 2));
      }
      expect(await contents(table)).toEqual(await contents(other));
      await k.schema.dropTableIfExists(other);
    });

    it('fails the batch on any other error and leaves none of its rows', async () => {
      const tooLong = 'x'.repeat(40);
      const attempt = k.transaction((trx) =>
        insertNewKeys(trx, narrow, [row('N1', 'B'), row('N2', 'B', tooLong), row('N3', 'B')], 'row-by-row'),
      );
      await expect(attempt).rejects.toThrow();
      expect(await contents(narrow)).toEqual([]);
    });
  });
}

describe('a DM front database (no DM server runs here)', () => {
  const target = (connection: Record<string, unknown>) =>
    new FrontDbTarget('city-dm', {
      kind: 'front-db',
      client: 'dm',
      connection: connection as FrontDbTargetConfig['connection'],
      table: TABLE,
      dataSource: '11370211MB1234567X',
      createTable: false,
      batchSize: 10,
      timeoutMs: 5_000,
      concurrency: 1,
      attempts: 3,
    });

  it('reaches the server through dmdb: a refused connection is a retryable failure naming the target', async () => {
    const t = target({ connectString: '127.0.0.1:1', user: 'SYSDBA', password: 'x', connectTimeout: 2000 });
    try {
      const e = await t.deliver([deliveryItem(1)]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(LicbridgeError);
      expect((e as LicbridgeError).retryable).toBe(true);
      expect((e as LicbridgeError).message).toContain('target city-dm: reaching the front database failed');
      expect(JSON.stringify(e)).not.toContain(HOLDER_NAME);
    } finally {
      await t.close();
    }
  });

  it('refuses `connection.tls` rather than connecting in the clear', async () => {
    const t = target({ connectString: '127.0.0.1:1', tls: { ca: 'x' } });
    try {
      const e = (await t.deliver([deliveryItem(1)]).catch((err: unknown) => err)) as LicbridgeError;
      expect(e).toBeInstanceOf(LicbridgeError);
      expect(e.retryable).toBe(false);
      expect(e.message).toContain(
        'target city-dm: `connection.tls` is not supported for a dm front database',
      );
    } finally {
      await t.close();
    }
  });
});
