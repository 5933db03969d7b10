/**
 * A delivery's receipt — the platform's answer, as JSON text — kept once in `delivery_receipts`
 * and named by `deliveries.receipt_id` (migration 036). A platform answers a batch with one receipt
 * for many keys (rest-json: `{"batchId":…,"duplicate":false}`, ~70 bytes in every row), so its
 * text is kept once per distinct answer, not once per delivery. The text is stored as it was
 * written and read back byte for byte, so what reads it (the delivery, the repair's audit entry)
 * sees the same text either way.
 *
 * A receipt longer than {@link SHARED_RECEIPT_MAX} stays in `deliveries.receipt`: the shared
 * table's unique index holds every text it keeps, and a B-tree entry has a size limit (~2.7 KB on
 * PostgreSQL) a platform's answer need not respect. Rows written before 036 keep theirs there too.
 */
import type { Knex } from 'knex';
import { type Db, rawRows } from './db.js';

/** Receipts up to this many characters are kept once; longer ones stay in their row. */
export const SHARED_RECEIPT_MAX = 500;

/**
 * The receipt's text as a column of a select over `deliveries` aliased `alias`: the row's own text
 * when it holds one (a long receipt, a row written before 036), else the shared text it names. A
 * writer sets one of the two and clears the other; the row's own text goes first so that one an
 * older licbridge wrote there, not knowing `receipt_id`, is the one read.
 */
export function receiptColumn(k: Knex, alias = 'd', as = 'receipt'): Knex.Raw {
  return k.raw(
    `coalesce(${alias}.receipt, (select r.receipt from delivery_receipts r where r.receipt_id = ${alias}.receipt_id)) as ${as}`,
  );
}

/** Where a receipt's text goes in its row: a shared id, or the text itself when too long. */
export interface StoredReceipt {
  id: number | null;
  text: string | null;
}

/**
 * Finds or makes the shared rows of `texts` (receipts as JSON text) and tells where each goes, in
 * `trx`. Two statements whatever their number: the insert of those not yet kept, then the ids.
 */
export async function storeReceipts(
  db: Db,
  trx: Knex.Transaction,
  texts: readonly (string | null)[],
): Promise<Map<string, StoredReceipt>> {
  const out = new Map<string, StoredReceipt>();
  const shared = [...new Set(texts.filter((t): t is string => t !== null && t.length <= SHARED_RECEIPT_MAX))];
  for (const t of texts) if (t !== null && t.length > SHARED_RECEIPT_MAX) out.set(t, { id: null, text: t });
  if (shared.length === 0) return out;
  const list =
    db.dialect === 'postgres'
      ? 'select jsonb_array_elements_text(?::jsonb) as value'
      : 'select value from json_each(?)';
  const param = JSON.stringify(shared);
  // In the texts' order: two writers making the same texts at once (a SOAP platform's
  // `{"duplicate":false}` and `{"duplicate":true}`, in every batch) each wait for the other's
  // uncommitted row, and in opposite orders they would wait on each other until PostgreSQL ended
  // one as a deadlock. SQLite reads `ON CONFLICT` after a bare SELECT as a join constraint: the
  // WHERE keeps them apart.
  await trx.raw(
    `insert into delivery_receipts (receipt) select t.value from (${list}) as t where true order by t.value
       on conflict (receipt) do nothing`,
    [param],
  );
  const rows: { receipt_id: unknown; receipt: string }[] = rawRows(
    await trx.raw(`select receipt_id, receipt from delivery_receipts where receipt in (${list})`, [param]),
  );
  for (const r of rows) out.set(r.receipt, { id: Number(r.receipt_id), text: null });
  return out;
}
