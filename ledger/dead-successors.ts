/**
 * The dead letters of the versions that come right after given ones at one target: a license's
 * next version, and a first version that continues one of them (a renewal, change or transfer-in
 * naming it as `previousIdentifier`: held-in-review.ts `continuingFirstVersion`). The deliver
 * stage holds each behind the one it follows (ledger/delivery-order.ts), so a job that gave up
 * waiting for that one left them dead (pipelines/held-replay.ts reopens them once it has landed).
 */
import type { Knex } from 'knex';
import { anyOpenAt } from './backlog.js';
import { type Db, inLists, rawRows, toInt } from './db.js';
import { listDeadLetters } from './dead-letters.js';
import { continuingFirstVersion } from './held-in-review.js';
import { keyedState } from './leases.js';
import type { DeadLetter } from './ledger.js';
import { deliveryKey } from './rows.js';

type Found = { license_id: string; version: unknown }[];

/** The version `v` that follows the version `p`: the license's next one. */
const NEXT = 'v.license_id = p.license_id and v.version = p.version + 1';

/** The version `v` that follows the version `p`: a first version of another license naming it. */
const continuing = (pg: boolean): string =>
  `${continuingFirstVersion(pg, 'v', 'p')} and v.license_id <> p.license_id`;

/**
 * The statement: from each version given (by its key), the version following it (`follows`), then
 * its delivery at the target (by its key), dead. PostgreSQL: each step a lateral subquery kept whole
 * (`offset 0`) and the state compared as keyedState does: joined freely, on a table not analyzed
 * yet its planner began from the target's dead letters (`deliveries_open_idx`) and read every
 * continuing version (`license_versions_continued_idx`) in each call, for every deliver job.
 * SQLite: `cross join` keeps the order written, and a continuing version is probed by the name of
 * the version given (`indexed by`), as held-in-review.ts walks them.
 */
function successorsText(db: Pick<Db, 'dialect'>, follows: string, count: number): string {
  const list = Array.from({ length: count }, () => '?').join(', ');
  const dead = `d.version_id = v.version_id and d.target = ? and ${keyedState(db, 'd.state')} = 'dead'`;
  if (db.dialect === 'postgres')
    return `select v.license_id, v.version from license_versions p
      cross join lateral (select v.version_id, v.license_id, v.version from license_versions v
        where ${follows} offset 0) v
      cross join lateral (select 1 from deliveries d where ${dead} offset 0) d
      where p.version_id in (${list})`;
  const index = follows === NEXT ? 'license_versions_license_version_uq' : 'license_versions_continued_idx';
  return `select v.license_id, v.version from license_versions p
    cross join license_versions v indexed by ${index}
    cross join deliveries d
    where p.version_id in (${list}) and ${follows} and ${dead}`;
}

/**
 * Dead letters at `target` of the versions following `versionIds`, as listDeadLetters gives them
 * (oldest version first per license). Each version is probed by key: a license's next version by
 * `license_versions_license_version_uq`, a continuing one by `license_versions_continued_idx`
 * (migration 063), and its delivery by its key; a backfill of first versions finds none. First
 * one probe for any dead delivery at the target (./backlog.ts `anyOpenAt`): none, the common case,
 * and no walk runs, a deliver call reading a version landed costs this probe alone.
 */
export async function deadSuccessors(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<DeadLetter[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0 || !(await anyOpenAt(db, target, 'dead'))) return [];
  const pg = db.dialect === 'postgres';
  const found = await db.read('deadSuccessors', async (k) => {
    const walk = async (q: Knex) => {
      const keys: string[] = [];
      for (const part of inLists(db, ids, 1)) {
        for (const follows of [NEXT, continuing(pg)]) {
          const rows: Found = rawRows(
            await q.raw(successorsText(db, follows, part.length), pg ? [target, ...part] : [...part, target]),
          );
          for (const r of rows) keys.push(deliveryKey(r.license_id, toInt(r.version), target));
        }
      }
      return keys;
    };
    // PostgreSQL: JIT off for the walks. On a ledger not analyzed yet their estimates (a million
    // for 400,000 versions) passed jit_above_cost, and every deliver call compiled them, about
    // 115 ms, to read a few rows by key (ledger/backlog.ts met the same).
    if (!pg) return walk(k);
    return k.transaction(async (trx) => {
      await trx.raw('set local jit = off');
      return walk(trx);
    });
  });
  if (found.length === 0) return [];
  return listDeadLetters(db, { keys: [...new Set(found)] });
}
