/**
 * The backlog deadline's query (rules art. 10: issuing, revoking and updating are completed
 * within 3 working days). A version is owed to a target until the platform accepted it; the clock
 * starts when licbridge read the change (the version's `created_at`). The working-day arithmetic
 * that turns "N working days" into the `createdBefore` instant lives in pipelines/lifecycle; this
 * file only counts.
 *
 * A version stops being owed when its delivery is `accepted`, when an operator `discarded` it
 * (a decision a person made and the audit chain recorded), or when a later version of the same
 * license was accepted: the platform then shows the license as it is now, which is what the rule
 * asks for. A delivery a repair held back as answered a duplicate (`duplicate_repair`, migration
 * 034) is accepted in name only: the platform shows an older version, so its version stays owed,
 * counted from when it was read, until a resend the platform takes.
 */
import { type Db, toDate, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';

export interface OverdueChanges {
  pipeline: string;
  target: string;
  count: number;
  /** When the oldest overdue change was read; `null` when there is none. */
  oldest: Date | null;
}

export async function overdueChanges(
  db: Db,
  query: { pipeline: string; target: string; createdBefore: Date },
): Promise<OverdueChanges> {
  return db.read('overdueChanges', async (k) => {
    const row: { n?: unknown; oldest?: unknown } | undefined = await k('license_versions as v')
      .modify((q) => whereHashedKey(k, q, 'v.pipeline', query.pipeline))
      .andWhere('v.created_at', '<', query.createdBefore.toISOString())
      .whereNotExists(function settled() {
        this.select(k.raw('1'))
          .from('deliveries as d')
          .whereRaw('d.version_id = v.version_id')
          .andWhere('d.target', query.target)
          .whereIn('d.state', ['accepted', 'discarded'])
          .whereNull('d.duplicate_repair');
      })
      .whereNotExists(function supersededAndAccepted() {
        this.select(k.raw('1'))
          .from('license_versions as v2')
          .join('deliveries as d2', 'd2.version_id', 'v2.version_id')
          .whereRaw('v2.license_id = v.license_id')
          .andWhereRaw('v2.version > v.version')
          .andWhere('d2.target', query.target)
          .andWhere('d2.state', 'accepted')
          .whereNull('d2.duplicate_repair');
      })
      .count({ n: '*' })
      .min({ oldest: 'v.created_at' })
      .first();
    const count = toInt(row?.n ?? 0);
    return {
      pipeline: query.pipeline,
      target: query.target,
      count,
      oldest: count > 0 && row?.oldest != null ? toDate(row.oldest) : null,
    };
  });
}
