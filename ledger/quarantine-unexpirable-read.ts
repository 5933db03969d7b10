/**
 * A clean read of a key whose license holds version 999 past its validTo (version-limit.ts
 * stillUnexpirable): the lifecycle tick's `LB_VERSION_LIMIT` record of the key stays open, as the
 * license still cannot expire. The page left the key out of its clean-read close altogether, and
 * every other open record of the key stayed open with it: a page's record of a change since undone
 * (its reason says the row read as version 999 holds it removes it) and a mapping fault since fixed
 * named for good, as no later read of the unchanged row closed them.
 */
import type { Knex } from 'knex';
import { chunk, type Db } from './db.js';
import { cleanReadCloseSql } from './quarantine-merge.js';

/**
 * Closes the open records of `keys` in `pipeline` as a clean read closes any key's
 * (quarantine-merge.ts: their `LB_STORED_TEXT` reasons stay, alone), but the lifecycle tick's: a
 * tick's run reads no row, so its records hold only what a read does not fix (the license it could
 * not expire, a stored text it could not end from). Runs before the page writes its own records,
 * as the page's close does, so a key both read cleanly and quarantined in the page stays open; and
 * as that close does, it leaves the page's run's record of such a key (`page.quarantined`) to the
 * page's write: closed and reopened, the record open all along took the page's time as its first
 * seen, and the worklist's age of the key started over.
 */
export async function closeCleanReadAtLimit(
  trx: Knex.Transaction,
  db: Db,
  pipeline: string,
  keys: readonly string[],
  now: string,
  page?: { runId: string; quarantined: ReadonlySet<string> },
): Promise<void> {
  const unique = [...new Set(keys)];
  const alsoQuarantined = unique.filter((k) => page?.quarantined.has(k) === true);
  const readOnly = unique.filter((k) => page?.quarantined.has(k) !== true);
  const close = async (part: readonly string[], otherRunThan?: string) =>
    trx.raw(
      `update quarantine set ${cleanReadCloseSql(db.dialect)}
        where pipeline = ? and resolved_at is null and source_key in (${part.map(() => '?').join(', ')})
          and not exists (select 1 from runs r where r.run_id = quarantine.run_id and r.mode = 'lifecycle')
          ${otherRunThan === undefined ? '' : 'and run_id <> ?'}`,
      [now, pipeline, ...part, ...(otherRunThan === undefined ? [] : [otherRunThan])],
    );
  for (const part of chunk(readOnly, db.maxParams - 2)) await close(part);
  for (const part of chunk(alsoQuarantined, db.maxParams - 3)) await close(part, page?.runId);
}
