/**
 * Submitted deliveries whose status checks fail: the platform holds them for review, and its
 * answers to the status request decide nothing (an unknown status, results that disagree, no result
 * for the key). Each keeps the reason as its `last_error` (pipelines/stages/deliver.ts) until a
 * newer answer clears it (delivery-outcomes.ts); `licbridge status` names them before the job's
 * last attempt turns them into dead letters.
 */
import { type Db, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import type { FailingStatusChecks } from './types-deliveries.js';

export async function failingStatusChecks(db: Db, target: string): Promise<FailingStatusChecks[]> {
  return db.read('failingStatusChecks', async (k) => {
    const failing = () =>
      k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .where({ 'd.target': target, 'd.state': 'submitted' })
        .whereNotNull('d.last_error');
    const groups: { pipeline: string; n: unknown; latest: unknown }[] = await failing()
      .groupBy('v.pipeline')
      .select('v.pipeline as pipeline')
      .count({ n: '*' })
      .max({ latest: 'd.updated_at' });
    const out: FailingStatusChecks[] = [];
    for (const g of groups) {
      // The newest failure's text, one row per pipeline: what the platform answers now.
      const row: { last_error: string; updated_at: unknown } | undefined = await failing()
        .modify((q) => whereHashedKey(k, q, 'v.pipeline', g.pipeline))
        .orderBy('d.updated_at', 'desc')
        .first('d.last_error', 'd.updated_at');
      if (!row) continue;
      out.push({
        pipeline: g.pipeline,
        target,
        count: toInt(g.n),
        lastError: row.last_error,
        latest: row.updated_at instanceof Date ? row.updated_at : new Date(String(row.updated_at)),
      });
    }
    return out;
  });
}
