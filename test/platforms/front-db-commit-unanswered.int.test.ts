/**
 * A send whose COMMIT reached the front database, which committed, but whose answer never came
 * back: the connection cut, or the database silent until the send was given up. The send failed,
 * retryable, and its rows were sent again. The exchange system had taken them out of the exchange
 * table as they were committed, so the retry found no row of their keys and wrote them a second
 * time: the province received the license twice. On PostgreSQL the send now asks the database
 * whether that transaction committed before writing its rows again, and answers them as written.
 * The exchange system is played by a deferred trigger that moves each row into a table of its own
 * as the send commits; the lost answer by a proxy between the target and the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { type CommitUnansweredProxy, commitUnansweredProxy } from '../support/commit-unanswered-proxy.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem, sampleLicense } from './license-fixture.js';

/** Longer than the city's `PAYLOAD` of 3000 characters: refused for its values, the rest written row by row. */
const longLicense = (n: number) =>
  sampleLicense(n, {
    surface: {
      businessItems: Array.from({ length: 400 }, (_, i) => `预包装食品销售${i}`),
      address: '黄岛区长江中路1号',
    },
  });

/** The city's table (`PAYLOAD` of 3000 characters), and the exchange system taking each row as it is committed. */
const takenAtCommit = (table: string, taken: string): string[] => [
  `alter table "${table}" alter column "PAYLOAD" type varchar(3000)`,
  `create table "${taken}" as select * from "${table}" with no data`,
  `create function "${table}_take"() returns trigger language plpgsql as $$
   begin
     insert into "${taken}" select * from "${table}" where "DELIVERY_KEY" = NEW."DELIVERY_KEY";
     delete from "${table}" where "DELIVERY_KEY" = NEW."DELIVERY_KEY";
     return null;
   end $$`,
  `create constraint trigger "${table}_take" after insert on "${table}" deferrable initially deferred
   for each row execute function "${table}_take"()`,
];

/**
 * Sends `items` as the deliver stage does: a send that throws leaves every item open, a retryable
 * failure leaves its own; the open ones are sent again, three attempts at most. Returns each
 * attempt's answers by key (empty for an attempt that threw).
 */
async function sendWithRetries(
  target: FrontDbTarget,
  items: readonly DeliveryItem[],
): Promise<Map<string, DeliveryOutcome>[]> {
  const attempts: Map<string, DeliveryOutcome>[] = [];
  let open = [...items];
  for (let attempt = 1; attempt <= 3 && open.length > 0; attempt += 1) {
    const answers = await target.deliver(open).catch(() => []);
    const byKey = new Map(answers.map((o) => [o.key, o]));
    attempts.push(byKey);
    open = open.filter((i) => {
      const o = byKey.get(i.key);
      return o === undefined || (o.state === 'failed' && o.retryable === true);
    });
  }
  return attempts;
}

const CASES: { name: string; how: 'silent' | 'cut'; rowByRow: boolean }[] = [
  { name: 'the connection is cut after the commit', how: 'cut', rowByRow: false },
  { name: 'the database goes silent after the commit', how: 'silent', rowByRow: false },
  { name: 'a row written row by row, the connection cut after its commit', how: 'cut', rowByRow: true },
  { name: 'a row written row by row, the database silent after its commit', how: 'silent', rowByRow: true },
];

describe('front-db target on PostgreSQL: a commit that landed, its answer lost', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_commit_lost', async () => {});
  let proxy: CommitUnansweredProxy;
  beforeAll(async () => {
    proxy = await commitUnansweredProxy(Number(scratch.place.connection.port));
  });
  afterAll(async () => {
    await proxy?.close();
  });

  CASES.forEach(({ name, how, rowByRow }, n) => {
    it(`when ${name}, the retry writes no second copy and answers the row written`, async () => {
      const table = `UP_LIC_LOST${n}`;
      const taken = `EXCHANGE_TAKEN_LOST${n}`;
      await cityExchangeTable(scratch.place.city, table, ...takenAtCommit(table, taken));
      const base = 100 * (n + 1);
      const lostOne = deliveryItem(base + 3, { target: 'city' });
      const items = rowByRow
        ? [
            deliveryItem(base + 1, { target: 'city' }),
            deliveryItem(base + 2, { target: 'city', license: longLicense(base + 2) }),
            lostOne,
            deliveryItem(base + 4, { target: 'city' }),
          ]
        : [lostOne];
      const target = scratch.closedAfter(
        new FrontDbTarget(
          'city',
          frontDbConfig(
            'postgres',
            { connection: { ...scratch.place.connection, port: proxy.port } },
            table,
            { timeoutMs: 2_000 },
          ),
        ),
      );
      await target.refuseUnfitTable();
      const lostBefore = proxy.lost;
      // Row by row: the first row's commit, then the refused row's rollback, then `lostOne`'s commit.
      proxy.arm(rowByRow ? 2 : 1, how);

      const attempts = await sendWithRetries(target, items);

      expect(proxy.lost - lostBefore, 'a commit lost its answer').toBe(1);
      // Not answered written by the send that lost the answer: failed, or the send thrown whole.
      expect(attempts[0]?.get(lostOne.key)?.state ?? 'thrown').toMatch(/^(failed|thrown)$/);
      const copies = async (key: string) =>
        Number((await scratch.place.city(taken).where({ DELIVERY_KEY: key }).count({ n: '*' }))[0]?.n);
      // The province receives the license once.
      expect(await copies(lostOne.key)).toBe(1);
      expect(attempts[1]?.get(lostOne.key)).toMatchObject({ state: 'accepted' });
      const refused = rowByRow ? items[1]?.key : undefined;
      for (const { key } of items) expect(await copies(key)).toBe(key === refused ? 0 : 1);
    });
  });
});
