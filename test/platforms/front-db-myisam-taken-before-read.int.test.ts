/**
 * A table of an engine without transactions (MyISAM) shows a row to the exchange system as soon as
 * it is inserted, before the send reads it back. One the exchange system takes out in between was
 * answered "exchange row not found after insert", retryable: the retry wrote it again, and the
 * province received the license twice. The exchange system is played by a delete the test queues
 * behind the insert, held inside the insert by a trigger that waits for a lock the test holds
 * (MyISAM's table lock then lets the queued delete go before the send's read).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';

const TABLE = 'UP_LIC_MYISAM_TAKE';
/** Every row the exchange table was given, by an insert trigger: what the exchange system could take. */
const INSERTS = 'EXCHANGE_INSERTS';
const LOCK = `lb_take_${randomBytes(4).toString('hex')}`;

/** Sends `item` as the deliver stage does: again after a retryable failure, three attempts at most. */
async function sendWithRetries(
  target: FrontDbTarget,
  first: Promise<DeliveryOutcome[]>,
  item: DeliveryItem,
): Promise<DeliveryOutcome[]> {
  const answers = [(await first)[0] as DeliveryOutcome];
  for (let attempt = 2; attempt <= 3; attempt += 1) {
    const last = answers.at(-1);
    if (last?.state !== 'failed' || last.retryable !== true) break;
    answers.push((await target.deliver([item]))[0] as DeliveryOutcome);
  }
  return answers;
}

describe('front-db target on MariaDB MyISAM: a row the exchange system takes before the send reads it back', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_mtake', async (place) => {
    await cityExchangeTable(
      place.city,
      TABLE,
      `alter table ${TABLE} engine = MyISAM`,
      `create table ${INSERTS} (DELIVERY_KEY varchar(200) not null)`,
      `create trigger ${TABLE}_taken after insert on ${TABLE} for each row begin
         insert into ${INSERTS} values (NEW.DELIVERY_KEY);
         set @lb_held = get_lock('${LOCK}', 60);
         set @lb_freed = release_lock('${LOCK}');
       end`,
    );
  });

  it('is not written again: a dead letter that says the exchange system may hold it', async () => {
    const connect = () => mysql.createConnection(scratch.place.connection);
    const [holder, exchange, watcher] = await Promise.all([connect(), connect(), connect()]);
    try {
      const target = scratch.closedAfter(
        new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, TABLE)),
      );
      const item = deliveryItem(1, { target: 'city' });
      const states = async () => {
        const [rows] = await watcher.query('select state from information_schema.processlist where db = ?', [
          scratch.place.connection.database,
        ]);
        return (rows as { state: string | null }[]).map((r) => r.state ?? '');
      };
      const until = async (state: string) => {
        while (!(await states()).includes(state)) await sleep(20);
      };
      await holder.query('select get_lock(?, 60)', [LOCK]);
      const first = target.deliver([item]);
      await until('User lock');
      // The exchange system takes the row: queued behind the insert's table lock.
      const taking = exchange.query(`delete from ${TABLE} where DELIVERY_KEY = ?`, [item.key]);
      await until('Waiting for table level lock');
      await holder.query('select release_lock(?)', [LOCK]);
      await taking;
      const answers = await sendWithRetries(target, first, item);

      const [inserted] = await watcher.query(`select count(*) as n from ${INSERTS} where DELIVERY_KEY = ?`, [
        item.key,
      ]);
      expect(Number((inserted as { n: number }[])[0]?.n)).toBe(1);
      expect(answers).toHaveLength(1);
      const [answer] = answers;
      expect(answer).toMatchObject({
        key: item.key,
        state: 'failed',
        retryable: false,
        failure: 'no-result',
      });
      const reason = answer?.reasons?.join(' ') ?? '';
      expect(reason).toContain('keeps no transactions');
      expect(reason).toContain('Ask the exchange system');
      expect(reason).not.toContain(HOLDER_NAME);
      expect(reason).not.toContain(HOLDER_ID);
    } finally {
      await Promise.all([holder.end(), exchange.end(), watcher.end()]);
    }
  });
});
