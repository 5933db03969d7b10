/**
 * A send to a MariaDB front database whose COMMIT reached the server, which committed, but whose
 * answer never came back: the connection cut, or the server silent until the send was given up.
 * The send failed, retryable, and the exchange system took the committed row out of the exchange
 * table (into its own) before the retry. MariaDB, as MySQL, SQL Server, Oracle and DM, cannot be
 * asked whether a transaction committed: the retry found no row of the key and wrote it again, and
 * the exchange system took the license a second time. Now a key whose earlier commit went
 * unanswered is not written again where its row is gone: its delivery fails for good, the reason
 * saying why, and a row still there is answered as that send's, written once.
 * The lost answer is played by a proxy between the target and the server; the exchange system by
 * the test, moving the table's rows into a table of its own between attempts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { type CommitUnansweredProxy, commitUnansweredProxy } from '../support/commit-unanswered-proxy.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const CASES: { name: string; how: 'silent' | 'cut'; taken: boolean }[] = [
  { name: 'the connection is cut after the commit, the row taken', how: 'cut', taken: true },
  { name: 'the server goes silent after the commit, the row taken', how: 'silent', taken: true },
  { name: 'the connection is cut after the commit, the row still there', how: 'cut', taken: false },
];

describe('front-db target on MariaDB: a commit that landed, its answer lost', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_commit_lost_my', async () => {});
  let proxy: CommitUnansweredProxy;
  beforeAll(async () => {
    proxy = await commitUnansweredProxy(Number(scratch.place.connection.port), 'mysql');
  });
  afterAll(async () => {
    await proxy?.close();
  });

  CASES.forEach(({ name, how, taken }, n) => {
    it(`when ${name}, the retry writes no second copy and answers no wrong outcome`, async () => {
      const table = `UP_LIC_LOST${n}`;
      const takenTable = `EXCHANGE_TAKEN_LOST${n}`;
      await cityExchangeTable(
        scratch.place.city,
        table,
        `create table ${takenTable} as select * from ${table} where 1 = 0`,
      );
      /** The exchange system picking up every row the table holds. */
      const takeRows = () =>
        scratch.place.city.transaction(async (trx) => {
          await trx.raw(`insert into ${takenTable} select * from ${table}`);
          await trx(table).delete();
        });
      const copies = async (key: string) =>
        Number((await scratch.place.city(takenTable).where({ DELIVERY_KEY: key }).count({ n: '*' }))[0]?.n) +
        Number((await scratch.place.city(table).where({ DELIVERY_KEY: key }).count({ n: '*' }))[0]?.n);
      const target = scratch.closedAfter(
        new FrontDbTarget(
          'city',
          frontDbConfig('mysql', { connection: { ...scratch.place.connection, port: proxy.port } }, table, {
            timeoutMs: 2_000,
          }),
        ),
      );
      await target.refuseUnfitTable();
      const item: DeliveryItem = deliveryItem(300 + n, { target: 'city' });
      const lostBefore = proxy.lost;
      proxy.arm(1, how);

      const first = await target.deliver([item]).catch(() => [] as DeliveryOutcome[]);
      expect(proxy.lost - lostBefore, 'a commit lost its answer').toBe(1);
      expect(first[0]?.state ?? 'thrown').toMatch(/^(failed|thrown)$/);
      if (taken) await takeRows();

      // The deliver stage's retries: until an answer other than a retryable failure.
      let answer: DeliveryOutcome | undefined;
      for (let attempt = 2; attempt <= 3; attempt += 1) {
        [answer] = await target.deliver([item]).catch(() => [] as DeliveryOutcome[]);
        if (taken) await takeRows();
        if (answer !== undefined && !(answer.state === 'failed' && answer.retryable === true)) break;
      }

      // The province receives the license once.
      expect(await copies(item.key)).toBe(1);
      if (taken) {
        // Written or not, the database cannot say: not sent again, nor answered delivered.
        expect(answer).toMatchObject({ state: 'failed', retryable: false, failure: 'no-result' });
        expect(answer?.reasons?.join(' ')).toContain('Ask the exchange system whether it holds the license');
      } else {
        expect(answer).toMatchObject({ state: 'accepted', receipt: { duplicate: true } });
      }

      // A replay by a person after that answer writes the row.
      if (taken) {
        expect(await target.deliver([item])).toMatchObject([{ state: 'accepted' }]);
        expect(await copies(item.key)).toBe(2);
      }
    });
  });
  it('on a MyISAM table, where a row is seen as it is inserted: the retry inserts no row at all', async () => {
    const table = 'UP_LIC_LOST_MYISAM';
    const inserts = 'EXCHANGE_INSERTS_MYISAM';
    await cityExchangeTable(
      scratch.place.city,
      table,
      `alter table ${table} engine = MyISAM`,
      `create table ${inserts} (DELIVERY_KEY varchar(200) not null)`,
      // Every row the table was given: what the exchange system could take.
      `create trigger ${table}_seen after insert on ${table} for each row
         insert into ${inserts} values (NEW.DELIVERY_KEY)`,
    );
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('mysql', { connection: { ...scratch.place.connection, port: proxy.port } }, table, {
          timeoutMs: 2_000,
        }),
      ),
    );
    await target.refuseUnfitTable();
    const item: DeliveryItem = deliveryItem(350, { target: 'city' });
    proxy.arm(1, 'cut');
    expect(await target.deliver([item]).catch(() => 'thrown')).toBe('thrown');
    // The exchange system takes the row.
    await scratch.place.city(table).delete();

    const [answer] = await target.deliver([item]);
    expect(answer).toMatchObject({ state: 'failed', retryable: false, failure: 'no-result' });
    const seen = await scratch.place.city(inserts).where({ DELIVERY_KEY: item.key }).count({ n: '*' });
    expect(Number(seen[0]?.n)).toBe(1);
    expect(await scratch.place.city(table).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
  it('a COMMIT the server answered with an error (rolled back): the retry writes the row, accepted', async () => {
    const table = 'UP_LIC_REFUSED_COMMIT';
    await cityExchangeTable(scratch.place.city, table);
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('mysql', { connection: { ...scratch.place.connection, port: proxy.port } }, table, {
          timeoutMs: 2_000,
        }),
      ),
    );
    await target.refuseUnfitTable();
    const item: DeliveryItem = deliveryItem(360, { target: 'city' });
    // A Galera cluster's answer to a COMMIT that failed certification: the transaction rolled back.
    proxy.arm(1, 'refused');
    await expect(target.deliver([item])).rejects.toMatchObject({ retryable: true });
    expect(await scratch.place.city(table).count({ n: '*' })).toEqual([{ n: 0 }]);

    expect(await target.deliver([item])).toMatchObject([
      { state: 'accepted', receipt: { duplicate: false } },
    ]);
    expect(await scratch.place.city(table).where({ DELIVERY_KEY: item.key }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
  });
});
