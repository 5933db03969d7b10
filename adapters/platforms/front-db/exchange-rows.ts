/**
 * The rows a `deliver` call writes into the exchange table, made before the front database is
 * reached, and what the table's own columns then say of them.
 */
import type { Knex } from 'knex';
import { DEFAULT_TIME_ZONE, wallClockFields } from '../../../core/local-date.js';
import type { CodeLists } from '../shared/code-lists.js';
import { PayloadError, toPlatformLicense } from '../shared/platform-license.js';
import { partNotBuilt } from '../shared/request-not-built.js';
import type { DeliveryItem, DeliveryOutcome } from '../target.js';
import type { ExchangeTableShape } from './exchange-columns.js';
import { NOT_PICKED_UP } from './exchange-status.js';
import { COLUMNS, operationType } from './exchange-table.js';

/**
 * One exchange row per item, `EXCHANGE_TIME` left to fill once the table's type is known, and the
 * outcome of each item whose license the platform format cannot carry (rejected: sending it again
 * builds the same payload). Any other fault while a row is made fails that item alone, unsent and
 * final, naming `where` (../shared/request-not-built.ts): thrown, it failed every license of the
 * call, and the deliver worker dead-lettered them all naming that one.
 */
export function exchangeRows(
  items: readonly DeliveryItem[],
  codes: CodeLists,
  dataSource: string,
  batch: string,
  /** The target, the statement the rows are for (`write`, `read-back`) and the exchange table. */
  where: { target: string; action: string; table: string },
): { rows: Record<string, unknown>[]; rejected: DeliveryOutcome[] } {
  const rows: Record<string, unknown>[] = [];
  const rejected: DeliveryOutcome[] = [];
  for (const item of items) {
    try {
      const license = toPlatformLicense(item.license, item.operation, codes, item.version);
      rows.push({
        [COLUMNS.key]: item.key,
        [COLUMNS.batch]: batch,
        [COLUMNS.opType]: operationType(item.operation),
        [COLUMNS.time]: undefined,
        [COLUMNS.dataSource]: dataSource,
        [COLUMNS.licenseId]: item.licenseId,
        [COLUMNS.version]: item.version,
        [COLUMNS.identifier]: license.zzbs,
        [COLUMNS.opCode]: license.czlx,
        [COLUMNS.status]: license.zzzt,
        [COLUMNS.payload]: JSON.stringify(license),
        [COLUMNS.signature]: JSON.stringify(item.signature),
        [COLUMNS.exchangeStatus]: NOT_PICKED_UP,
      });
    } catch (e) {
      const request = { action: where.action, to: `exchange table ${where.table}`, part: 'exchange row' };
      rejected.push(
        e instanceof PayloadError
          ? { key: item.key, state: 'rejected', reasons: [`licbridge: ${e.message}`] }
          : partNotBuilt(where.target, request, item, e),
      );
    }
  }
  return { rows, rejected };
}

/**
 * `EXCHANGE_TIME`'s value in a statement of `k`: for a MySQL/MariaDB `TIMESTAMP`, the instant as
 * `FROM_UNIXTIME` gives it, the wall clock of the session's own `time_zone`, which the column
 * converts back to that same instant whatever the server's zone; otherwise `exchangeTime`. Written
 * as the wall clock of the target's `timeZone`, such a column held the right instant only when the
 * server ran in that zone: 8 hours off for a Beijing clock on a server in UTC. The session is left
 * as the server sets it, so the city's own `DEFAULT CURRENT_TIMESTAMP` columns and triggers see the
 * time they always see.
 */
export function exchangeTimeValue(
  k: Knex,
  now: Date,
  shape: ExchangeTableShape,
  timeZone?: string,
): Date | string | Knex.Raw {
  if (shape.timeIsInstant) return k.raw('from_unixtime(? / 1000)', [now.getTime()]);
  return exchangeTime(now, shape, timeZone);
}

/**
 * What `EXCHANGE_TIME` is given for `now`: ISO text (UTC, `…Z`) for a text column; the instant for
 * a date/time column with a zone; and for one without (the usual `DATETIME`, `timestamp`, `DATE`),
 * a time whose fields in this machine's zone — which every driver writes such a column in — are
 * the wall clock of `timeZone`. The city reads that column as its local time: written in the
 * host's zone, a host run in UTC (a container) put every row 8 hours behind a Beijing clock.
 */
export function exchangeTime(
  now: Date,
  shape: ExchangeTableShape,
  timeZone: string = DEFAULT_TIME_ZONE,
): Date | string {
  if (!shape.timeIsDate) return now.toISOString();
  if (shape.timeHasZone) return now;
  const f = wallClockFields(now, timeZone);
  // A wall clock that does not exist in the host's zone (a daylight-saving gap) moves by the gap.
  return new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, now.getUTCMilliseconds());
}

/**
 * Takes out of `rows` each row whose delivery key is longer than `DELIVERY_KEY` holds (`width`, in
 * characters, as the database's catalog gives it) and returns, by key, why. MySQL and MariaDB
 * without strict mode store such a key cut to the column with only a warning: the exchange system
 * picks the row up under another delivery's key, and this delivery never finds its row again;
 * a strict database refuses the row on every retry. The reason names the table, the column, its
 * width and the key's length, never the key (it is the outcome's own).
 */
export function takeLongKeys(
  rows: Record<string, unknown>[],
  table: string,
  width: number | undefined,
): Map<string, string> {
  const refused = new Map<string, string>();
  if (width === undefined) return refused;
  for (let i = rows.length - 1; i >= 0; i -= 1) {
    const key = String(rows[i]?.[COLUMNS.key]);
    const length = [...key].length;
    if (length <= width) continue;
    rows.splice(i, 1);
    refused.set(
      key,
      `exchange table ${table} column ${COLUMNS.key} holds ${width} characters, and the delivery key is ${length}: the row was not written (it would be refused, or stored under a cut key); widen the column, then replay the dead letter`,
    );
  }
  return refused;
}
