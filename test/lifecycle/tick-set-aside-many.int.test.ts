/**
 * The licenses a tick set aside (their stored text does not read) went into each later page's
 * query as one bind parameter each (`not in (…)`), with no bound: past the database's parameter
 * limit (SQLite 32,766, PostgreSQL 65,535) in one pipeline on one day, every page query failed, on
 * every tick after, and no license of the pipeline expired again. A page now starts after the last
 * license the page before it read, so its query carries the same parameters however many were set
 * aside before it; the set-aside ones are still left `valid` and the others expired.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createDb } from '../../ledger/db.js';
import { expireDuePage } from '../../ledger/lifecycle.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

const knex = knexModule as unknown as typeof knexModule.knex;

/** A connection of its own to the ledger's database whose statements are recorded in `seen`. */
function recordingConnection(url: string, seen: { sql: string; bindings: readonly unknown[] }[]) {
  const sqlite = url.startsWith('sqlite://');
  let k: ReturnType<typeof knex>;
  if (sqlite) {
    k = knex({
      client: 'better-sqlite3',
      connection: { filename: url.slice('sqlite://'.length) },
      useNullAsDefault: true,
    });
  } else {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') as string;
    parsed.searchParams.delete('schema');
    k = knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema] });
  }
  k.on('query', (q: { sql: string; bindings?: readonly unknown[] }) =>
    seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
  );
  const db = createDb({
    knex: k,
    dialect: sqlite ? 'sqlite' : 'postgres',
    maxParams: sqlite ? 32_766 : 65_535,
    maxRows: 500,
    log: quietLogger,
    exclusive: noWriteLock,
  });
  return { db, close: () => k.destroy() };
}

for (const backend of BACKENDS) {
  describe(`a tick setting aside more licenses than a page holds (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('reads each page with the same parameters, and expires the licenses after them', async () => {
      const today = lifecycleToday(ws.config)();
      // Five broken ones first in the page order (validTo, then license id), two that read after.
      for (let n = 1; n <= 7; n++) await ws.commit(n, addDays(today, -20 + n), { phone: `139123400${n}0` });
      for (let n = 1; n <= 5; n++) await editStoredText(ws, ws.licenseId(n), (text) => text.slice(0, 20));
      // One license a page: each broken one fills a page of its own.
      const config = {
        ...ws.config,
        lifecycle: { ...ws.config.lifecycle, pageSize: 1 },
      } as Readonly<Config>;
      const rt = new Runtime(config, quietLogger);
      const seen: { sql: string; bindings: readonly unknown[] }[] = [];
      const recording = recordingConnection(ws.config.ledger.url, seen);
      try {
        // The tick's pages go through the recording connection, as the tick calls them.
        const ledger = await rt.ledger();
        ledger.expireDuePage = (input) => expireDuePage(recording.db, input);
        const result = await lifecycleTick(rt, { pipelines: [ws.pipeline] });
        expect(result.pipelines).toEqual([
          expect.objectContaining({
            pipeline: ws.pipeline,
            outcome: 'ticked',
            expired: 2,
            setAside: [1, 2, 3, 4, 5].map((n) => ws.licenseId(n)),
          }),
        ]);
        const states = new Map(
          (await ws.ledger.pipelineLicenses(ws.pipeline)).map((l) => [l.licenseId, l.status]),
        );
        expect([1, 2, 3, 4, 5, 6, 7].map((n) => states.get(ws.licenseId(n)))).toEqual([
          'valid',
          'valid',
          'valid',
          'valid',
          'valid',
          'expired',
          'expired',
        ]);
        // The page query: the due range of the licenses joined to their latest versions.
        const pages = seen.filter(
          (s) => /from [`"]licenses[`"] as [`"]l[`"]/.test(s.sql) && /order by/.test(s.sql),
        );
        // A page for each broken one, one for each license expired, and the last one, empty.
        expect(pages).toHaveLength(8);
        // The first from the range's start, every later one after the page before's last license:
        // as many parameters on the page after five set aside as on the page after one.
        const later = pages.slice(1).map((p) => p.bindings.length);
        expect(later).toEqual(later.map(() => later[0]));
      } finally {
        await recording.close();
        await rt.close();
      }
    });
  });
}
