/**
 * A page's version rows given their context's id (version-context.ts resolveContexts), on both
 * backends: each row names the stored context of exactly its texts, one context row made per
 * distinct pair, an existing one reused, and the row otherwise as given. The rows mix contexts as
 * pages can: runs of one, contexts sharing their lineage or their payload with the one before, a
 * context coming back after another, rows without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { resolveContexts, type VersionContext } from '../../ledger/version-context.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

/** A context with texts of its own, as each version's split makes them. */
const context = (lineage: string, payload: string): VersionContext => ({
  lineage: JSON.parse(JSON.stringify(lineage)) as string,
  payload: JSON.parse(JSON.stringify(payload)) as string,
});

describe.each(BACKENDS)('resolveContexts ($name)', (backend) => {
  let database: TestDatabase;
  const tag = uniqueName('ctx');
  const lineageA = `{"s":"${tag}-a"}`;
  const lineageB = `{"s":"${tag}-b"}`;
  const payload1 = `"type":{"name":"${tag}-1"}`;
  const payload2 = `"type":{"name":"${tag}-2"}`;

  beforeAll(async () => {
    database = await backend.create();
    // Migrated by the ledger, as a run's first page finds it.
    const ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.close();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('names for each row the context of its own texts', async () => {
    const raw = rawKnex(database.url);
    try {
      // One context there before the page: reused, not made again.
      await raw('version_contexts').insert({ lineage: lineageB, payload: payload2 });
      const given: [string, string][] = [
        [lineageA, payload1],
        [lineageA, payload1],
        [lineageA, payload2],
        [lineageB, payload2],
        [lineageB, payload1],
        [lineageA, payload1],
        [lineageA, payload1],
      ];
      const rows = [
        ...given.map(([l, p], i) => ({ license_id: `L${i}`, version: 1, context: context(l, p) })),
        { license_id: 'bare', version: 2, context: null },
        { license_id: 'last', version: 1, context: context(lineageB, payload1) },
      ];
      const resolved = await raw.transaction((trx) => resolveContexts(trx, rows));

      const stored: { context_id: unknown; lineage: string; payload: string }[] = await raw(
        'version_contexts',
      ).whereIn('lineage', [lineageA, lineageB]);
      const textsOf = new Map(stored.map((c) => [Number(c.context_id), [c.lineage, c.payload]]));
      expect(stored).toHaveLength(4);
      expect(resolved.map((r) => (r.context_id === null ? null : textsOf.get(r.context_id)))).toEqual([
        ...given,
        null,
        [lineageB, payload1],
      ]);
      // The row as given, its context's id in place of its context.
      expect(resolved.map((r) => Object.keys(r))).toEqual(
        rows.map(() => ['license_id', 'version', 'context_id']),
      );
      expect(resolved.map((r) => [r.license_id, r.version])).toEqual(
        rows.map((r) => [r.license_id, r.version]),
      );
    } finally {
      await raw.destroy();
    }
  });
});
