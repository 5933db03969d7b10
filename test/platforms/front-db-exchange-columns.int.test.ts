/**
 * A front-db target whose exchange table lacks a column it writes or reads — a misspelled
 * `exchangeStatus.reasonColumn`, a city table without `SIGNATURE` — is refused as it opens
 * (`LB_CONFIG_INVALID`, naming the target, the table and the column), and a delivery through a
 * target opened before is refused for good instead of failing as retryable: no row is written.
 * So is a table the database does not have, and a `dataSource` wider than its column. A column the database takes in another case (MySQL,
 * SQLite) is no problem, nor is a database not reachable yet. On SQLite, PostgreSQL and MariaDB.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget } from '../../adapters/platforms/create-target.js';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type FrontDbPlace, frontDbConfig, scratchPlace, sqlitePlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** The front database; `city` is the city's own connection, which makes the exchange tables. */
interface Place extends FrontDbPlace {
  /** Whether the database takes a column name in any case. */
  anyCase: boolean;
}

const networked = (name: string, client: 'postgres' | 'mysql'): { name: string; open(): Promise<Place> } => ({
  name,
  async open() {
    return { ...(await scratchPlace(client, 'lb_excol')), anyCase: client === 'mysql' };
  },
});

const SERVERS = [
  {
    name: 'SQLite',
    async open(): Promise<Place> {
      return { ...(await sqlitePlace('lb-excol')), anyCase: true };
    },
  },
  networked('PostgreSQL', 'postgres'),
  networked('MariaDB', 'mysql'),
];

const EXCHANGE = { accepted: ['1'], rejected: ['9'] };

describe('front-db exchange table check, front database unreachable', () => {
  it('opens all the same, and a delivery fails as retryable, to be checked once the database answers', async () => {
    const t = await createTarget(
      'city-front',
      frontDbConfig(
        'postgres',
        { connection: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'test' } },
        'UP_LIC_DATA',
        { timeoutMs: 500 },
      ),
    );
    try {
      const e = await t.deliver([deliveryItem(3, { target: 'city-front' })]).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(LicbridgeError);
      expect((e as LicbridgeError).code).toBe(ErrorCodes.TARGET_UNREACHABLE);
      expect((e as LicbridgeError).retryable).toBe(true);
    } finally {
      await t.close();
    }
  });
});

for (const server of SERVERS) {
  describe(`front-db exchange table columns (${server.name})`, () => {
    let place: Place;
    let tables = 0;
    const opened: TargetAdapter[] = [];

    /** A fresh exchange table as the city made it: the target's columns, with `alter` applied. */
    const cityTable = async (alter: (t: Knex.AlterTableBuilder) => void): Promise<string> => {
      tables += 1;
      const table = `UP_LIC_EXCOL_${tables}`;
      await ensureExchangeTable(place.city, table);
      await place.city.schema.alterTable(table, alter);
      return table;
    };
    const config = (table: string, extra: Partial<FrontDbTargetConfig> = {}): FrontDbTargetConfig =>
      frontDbConfig(place.client, place.where, table, extra);
    /** What opening the target through its kind throws (fails the test when it opens). */
    const refusal = async (cfg: FrontDbTargetConfig): Promise<LicbridgeError> => {
      const error = await createTarget('city-front', cfg).then(
        (t) => {
          opened.push(t);
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LicbridgeError);
      return error as LicbridgeError;
    };
    const rowsIn = async (table: string) => (await place.city(table).count({ n: '*' }))[0]?.n;

    beforeAll(async () => {
      place = await server.open();
    });
    afterAll(async () => {
      await Promise.all(opened.map((t) => t.close()));
      await place?.dispose();
    });

    it('refuses to open with a misspelled reasonColumn, naming the target, table, column and field', async () => {
      const table = await cityTable((t) => t.string('EXCHANGE_MSG', 200));
      const e = await refusal(
        config(table, { exchangeStatus: { ...EXCHANGE, reasonColumn: 'EXCHANGE_MSGG' } }),
      );
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.retryable).toBe(false);
      expect(e.message).toContain(
        `target city-front: exchange table ${table} has no column \`EXCHANGE_MSGG\``,
      );
      expect(e.message).toContain(
        '`targets.city-front.exchangeStatus.reasonColumn`: did you mean `EXCHANGE_MSG`?',
      );
      expect(Number(await rowsIn(table))).toBe(0);
    });

    it('refuses a delivery for good, writing nothing, when the target was made without opening', async () => {
      const table = await cityTable((t) => t.string('EXCHANGE_MSG', 200));
      const t = new FrontDbTarget(
        'city-front',
        config(table, { exchangeStatus: { ...EXCHANGE, reasonColumn: 'EXCHANGE_MESSAGE' } }),
      );
      opened.push(t);
      const e = await t.deliver([deliveryItem(1, { target: 'city-front' })]).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(LicbridgeError);
      expect((e as LicbridgeError).code).toBe(ErrorCodes.CONFIG_INVALID);
      expect((e as LicbridgeError).retryable).toBe(false);
      expect((e as LicbridgeError).message).toContain('has no column `EXCHANGE_MESSAGE`');
      expect(Number(await rowsIn(table))).toBe(0);
    });

    it('refuses a table without a column licbridge writes', async () => {
      const table = await cityTable((t) => t.dropColumn('SIGNATURE'));
      const e = await refusal(config(table));
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.message).toContain(`exchange table ${table} has no column \`SIGNATURE\``);
    });

    it('refuses a dataSource longer than DATA_SOURCE holds, where the database keeps the width', async () => {
      const table = await cityTable((t) => {
        t.string('DATA_SOURCE', 10).notNullable().alter();
      });
      const cfg = config(table);
      if (place.client === 'sqlite') {
        // SQLite stores any length whatever the column declares: the value goes in whole.
        const t = await createTarget('city-front', cfg);
        opened.push(t);
        expect((await t.deliver([deliveryItem(4, { target: 'city-front' })])).map((o) => o.state)).toEqual([
          'accepted',
        ]);
        return;
      }
      const e = await refusal(cfg);
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.message).toContain(
        `target city-front: \`targets.city-front.dataSource\` is 18 characters (\`11370211MB1234567X\`), and column DATA_SOURCE of exchange table ${table} holds 10`,
      );
      expect(Number(await rowsIn(table))).toBe(0);
    });

    it('refuses a BATCH_NO or a text EXCHANGE_TIME narrower than what every row carries', async () => {
      const table = await cityTable((t) => {
        t.string('BATCH_NO', 20).notNullable().alter();
        t.string('EXCHANGE_TIME', 19).notNullable().alter();
      });
      if (place.client === 'sqlite') return; // SQLite stores any length whatever the column declares.
      const e = await refusal(config(table));
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.message).toContain(
        `target city-front: exchange table ${table} column BATCH_NO holds 20 characters, and licbridge writes 32-character batch numbers; column EXCHANGE_TIME holds 19 characters, and licbridge writes 24-character times as ISO text`,
      );
      expect(Number(await rowsIn(table))).toBe(0);
    });

    it('refuses a table the front database does not have, naming it', async () => {
      const e = await refusal(config('UP_LIC_DATAX'));
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.message).toContain(
        'target city-front: exchange table UP_LIC_DATAX is not in the front database (or this user may not read it): fix `targets.city-front.table`',
      );
      expect(await place.city.schema.hasTable('UP_LIC_DATAX')).toBe(false);
    });

    it('opens and delivers when every column is there, a reason column in the case the database takes', async () => {
      const table = await cityTable((t) => t.string('exchange_msg', 200));
      const cfg = config(table, { exchangeStatus: { ...EXCHANGE, reasonColumn: 'EXCHANGE_MSG' } });
      if (!place.anyCase) {
        // PostgreSQL takes a quoted name as written: the reads would fail, so the target does not open.
        expect((await refusal(cfg)).message).toContain('has no column `EXCHANGE_MSG`');
        return;
      }
      const t = await createTarget('city-front', cfg);
      opened.push(t);
      const out = await t.deliver([deliveryItem(2, { target: 'city-front' })]);
      expect(out.map((o) => o.state)).toEqual(['submitted']);
      expect(Number(await rowsIn(table))).toBe(1);
    });
  });
}
