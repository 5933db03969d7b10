/**
 * A batch with a row the front database refuses for its values is written again row by row, each
 * row in a transaction of its own. When another failure met a later row there (the connection lost,
 * the send's time up), the whole send failed: the rows committed before it lost their answers and
 * were sent again, and where the exchange system had taken them out meanwhile they were written
 * again, the province receiving the license twice. So it was when the send was given up (a
 * database that stops answering: a commit never answered). The exchange system is played by a
 * deferred PostgreSQL trigger that moves each row into a table of its own as the send commits; the
 * failure by a trigger on the later row that, once, ends its own connection, outwaits the send, or
 * holds its commit. The rows after the one the failure met were never begun, yet each was counted
 * an attempt of its license, with a deliver-attempt audit entry saying it was tried.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem, sampleLicense } from './license-fixture.js';

/** Longer than the city's `PAYLOAD` of 3000 characters: refused for its values. */
const longLicense = (n: number) =>
  sampleLicense(n, {
    surface: {
      businessItems: Array.from({ length: 400 }, (_, i) => `预包装食品销售${i}`),
      address: '黄岛区长江中路1号',
    },
  });

const LOST = 'perform pg_terminate_backend(pg_backend_pid()); perform pg_sleep(5);';
/**
 * pg reports the connection ended with no code of the server's, its statement's failure in its own
 * fixed words (driver-failure.ts `PG_UNCODED`): named, and audited `unreachable`.
 */
const LOST_REASON =
  /^target city: writing exchange table \w+ failed \((57P01|Connection terminated unexpectedly|Client has encountered a connection error and is not queryable)\)$/;

/**
 * What the trigger does to the insert of the row after the refused one (`atCommit`: to its commit),
 * the first time only, and the answer of a row written: `submitted` with `exchangeStatus`.
 */
const FAILURES: {
  name: string;
  action: string;
  atCommit?: boolean;
  timeoutMs: number;
  reason: RegExp;
  /** The kind the rows the failure met are audited by. */
  failure: string;
  written: string;
  exchangeStatus?: { accepted: string[]; rejected: string[] };
}[] = [
  {
    name: 'the connection is lost',
    action: LOST,
    timeoutMs: 10_000,
    reason: LOST_REASON,
    failure: 'unreachable',
    written: 'accepted',
  },
  {
    name: 'the send runs out of time',
    action: 'perform pg_sleep(60);',
    timeoutMs: 3_000,
    reason: /^target city: writing exchange table \w+ failed \(timed out after 3000 ms\)$/,
    failure: 'timeout',
    written: 'accepted',
  },
  {
    name: 'the connection is lost, with exchangeStatus',
    action: LOST,
    timeoutMs: 10_000,
    reason: LOST_REASON,
    failure: 'unreachable',
    written: 'submitted',
    exchangeStatus: { accepted: ['1'], rejected: ['9'] },
  },
  {
    // knex bounds no COMMIT: the send is given up 2 s after its time (silent-database.ts).
    name: 'the send is given up, its commit never answered',
    action: "perform pg_sleep(60); raise exception 'never committed';",
    atCommit: true,
    timeoutMs: 2_000,
    reason: /^target city: writing exchange table \w+ failed \(timed out after 2000 ms\)$/,
    failure: 'timeout',
    written: 'accepted',
  },
];

/**
 * The city's exchange table `table` (`PAYLOAD` of 3000 characters), the exchange system's `taken`
 * table and the deferred trigger that moves a committed row into it, and a trigger that does
 * `action` to the first insert of key `failing` (a sequence, outside any transaction, counts them),
 * or to its commit.
 */
const exchangeWithFault = (
  table: string,
  taken: string,
  failing: string,
  action: string,
  atCommit = false,
): string[] => [
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
  `create sequence "${table}_faults"`,
  `create function "${table}_fault"() returns trigger language plpgsql as $$
   begin
     if NEW."DELIVERY_KEY" = '${failing}' and nextval('"${table}_faults"') = 1 then ${action} end if;
     return NEW;
   end $$`,
  atCommit
    ? `create constraint trigger "${table}_fault" after insert on "${table}" deferrable initially deferred
       for each row execute function "${table}_fault"()`
    : `create trigger "${table}_fault" before insert on "${table}" for each row execute function "${table}_fault"()`,
];

/**
 * Sends `items` as the deliver stage does: a send that throws leaves every item open, a retryable
 * failure leaves its own; the open ones are sent again, three attempts at most. Returns each
 * attempt's answers by key (empty for an attempt that threw).
 */
async function sendWithRetries(
  target: FrontDbTarget,
  items: readonly DeliveryItem[],
  between: () => Promise<unknown>,
): Promise<Map<string, DeliveryOutcome>[]> {
  const attempts: Map<string, DeliveryOutcome>[] = [];
  let open = [...items];
  for (let attempt = 1; attempt <= 3 && open.length > 0; attempt += 1) {
    if (attempt > 1) await between();
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

describe('front-db target on PostgreSQL: a batch written row by row, cut short by another failure', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_cut', async () => {});

  FAILURES.forEach(({ name, action, atCommit, timeoutMs, reason, failure, written, exchangeStatus }, n) => {
    it(`when ${name}, keeps the answers of the rows committed before it: each license written once`, async () => {
      const table = `UP_LIC_CUT${n}`;
      const taken = `EXCHANGE_TAKEN${n}`;
      const base = 10 * n;
      const [first, refused, failing, last] = [
        deliveryItem(base + 1, { target: 'city' }),
        deliveryItem(base + 2, { target: 'city', license: longLicense(base + 2) }),
        deliveryItem(base + 3, { target: 'city' }),
        deliveryItem(base + 4, { target: 'city' }),
      ] as [DeliveryItem, DeliveryItem, DeliveryItem, DeliveryItem];
      await cityExchangeTable(
        scratch.place.city,
        table,
        ...exchangeWithFault(table, taken, failing.key, action, atCommit),
      );
      const target = scratch.closedAfter(
        new FrontDbTarget(
          'city',
          frontDbConfig('postgres', scratch.place.where, table, {
            timeoutMs,
            ...(exchangeStatus ? { exchangeStatus } : {}),
          }),
        ),
      );

      // The database answers again: the commit held is ended, rolled back, and its key free.
      const comesBack = () =>
        scratch.place.city.raw(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and wait_event = 'PgSleep'`,
        );
      const attempts = await sendWithRetries(target, [first, refused, failing, last], comesBack);

      const copies = async (key: string) =>
        Number((await scratch.place.city(taken).where({ DELIVERY_KEY: key }).count({ n: '*' }))[0]?.n);
      // The province receives each license the exchange system took once.
      expect(await copies(first.key)).toBe(1);
      expect(await copies(failing.key)).toBe(1);
      expect(await copies(last.key)).toBe(1);
      expect(await copies(refused.key)).toBe(0);
      const [answers] = attempts;
      expect(answers?.get(first.key)).toMatchObject({ state: written, receipt: { duplicate: false } });
      expect(answers?.get(refused.key)).toMatchObject({
        state: 'failed',
        retryable: true,
        reasons: [`exchange table ${table} refused the row (SQLSTATE 22001)`],
      });
      // The row the failure met and the rows after it: not written, sent again.
      for (const key of [failing.key, last.key]) {
        const o = answers?.get(key);
        expect(o).toMatchObject({ state: 'failed', retryable: true, failure });
        expect(o?.reasons?.[0]).toMatch(reason);
      }
      // The row the failure met may have reached the database: an attempt of its license. The
      // row after it was never begun: no attempt (`unsent`), as a batch after a failed request.
      expect(answers?.get(failing.key)?.unsent).toBeUndefined();
      expect(answers?.get(last.key)?.unsent).toBe(true);
      expect(attempts[1]?.has(first.key)).toBe(false);
      expect(attempts[1]?.get(failing.key)).toMatchObject({ state: written, receipt: { duplicate: false } });
      expect(attempts[1]?.get(last.key)).toMatchObject({ state: written, receipt: { duplicate: false } });
    });
  });
});
