/**
 * PostgreSQL: `ensureDeliveries`' check and write as one statement outside a transaction, where
 * they took a read (every version id in the ledger?) and a write transaction (BEGIN, its id noted,
 * the insert, COMMIT): six round trips became one. The insert lands only when every version is
 * there, as the check before it let it; a delivery already there is left as it is, so a try
 * run again after a lost answer (db.read retries) writes nothing twice.
 */
import type { Knex } from 'knex';

/**
 * Inserts the delivery rows whose `select` over the JSON parameter is `source` (its parameters,
 * that one among them, in `sourceBindings`), only if all `expected` versions are in the ledger: how
 * many are.
 */
export async function insertDeliveriesPg(
  k: Knex,
  columns: readonly string[],
  source: string,
  sourceBindings: readonly Knex.RawBinding[],
  expected: number,
): Promise<number> {
  const list = columns.join(', ');
  const res: { rows: { n: number }[] } = await k.raw(
    `with r as (${source}),
       present as (select r.* from r join license_versions v on v.version_id = r.version_id),
       ins as (insert into deliveries (${list}) select ${list} from present
                where (select count(*) from present) = ? on conflict (version_id, target) do nothing)
     select count(*)::int as n from present`,
    [...sourceBindings, expected],
  );
  return res.rows[0]?.n ?? 0;
}
