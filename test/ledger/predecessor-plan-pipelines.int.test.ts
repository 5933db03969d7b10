/**
 * The lookups by number (a renewal's predecessor, the licenses a renewal continues) read the
 * licenses of their own pipeline only, through `licenses(number)`: a number common in another
 * pipeline (a legacy system's placeholder held by thousands of its licenses) is not read with its
 * payloads for every page that names it, and the pipeline does not steer SQLite, which has no
 * statistics, to the `(pipeline, status, valid_to)` index and every license of the pipeline.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { heldUnder, renewalsUnder } from '../../ledger/predecessors.js';
import { BACKENDS, quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

const NOW = '2026-01-01T00:00:00.000Z';
const PLACEHOLDER = '暂无';
/** Licenses of the legacy pipeline under the placeholder number. */
const LEGACY = 300;

async function addLicenses(k: Knex, rows: { id: string; pipeline: string; number: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    const part = rows.slice(i, i + 100);
    await k('licenses').insert(
      part.map((r) => ({
        license_id: r.id,
        pipeline: r.pipeline,
        source_key: r.id,
        latest_version: 1,
        content_hash: '',
        status: 'valid',
        created_at: NOW,
        updated_at: NOW,
        number: r.number,
      })),
    );
    await k('license_versions').insert(
      part.map((r) => ({
        license_id: r.id,
        version: 1,
        pipeline: r.pipeline,
        identifier: `${r.id}.1`,
        content_hash: '',
        status: 'valid',
        operation: 'issue',
        payload: '{}',
        lineage: '{}',
        run_id: 'r',
        created_at: NOW,
      })),
    );
  }
}

/** One food license under the placeholder; the legacy pipeline's many, and some numbered. */
async function seed(url: string): Promise<void> {
  const k = rawKnex(url);
  try {
    await addLicenses(k, [
      { id: 'FOOD-1', pipeline: 'food', number: PLACEHOLDER },
      ...Array.from({ length: LEGACY }, (_, n) => ({
        id: `LEGACY-${n}`,
        pipeline: 'legacy',
        number: PLACEHOLDER,
      })),
      ...Array.from({ length: 50 }, (_, n) => ({ id: `LEGACY-N${n}`, pipeline: 'legacy', number: `N${n}` })),
    ]);
  } finally {
    await k.destroy();
  }
}

describe.each(BACKENDS)('a number common in another pipeline ($name)', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    await seed(database.url);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("is read for the pipeline's own licenses only", async () => {
    const k = rawKnex(database.url);
    try {
      const rows: { license_id: string }[] = await heldUnder(k, 'number', 'food', [PLACEHOLDER]);
      expect(rows.map((r) => r.license_id)).toEqual(['FOOD-1']);
      const renewals: { license_id: string }[] = await renewalsUnder(k, ['food'], [PLACEHOLDER]);
      expect(renewals.map((r) => r.license_id)).toEqual(['FOOD-1']);
    } finally {
      await k.destroy();
    }
  });
});

describe('the lookups by number on SQLite', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
    await seed(database.url);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('search the number index, not every license of the pipeline', async () => {
    const k = rawKnex(database.url);
    try {
      for (const [name, q] of [
        ['predecessors', heldUnder(k, 'number', 'legacy', ['N1', 'N2'])],
        ['renewals', renewalsUnder(k, ['legacy'], ['N1', 'N2'])],
      ] as const) {
        const { sql, bindings } = q.toSQL();
        const plan: { detail: string }[] = await k.raw(`explain query plan ${sql}`, [...bindings]);
        const onLicenses = plan.map((p) => p.detail).filter((d) => /\bl\b/.test(d));
        expect(onLicenses, name).toHaveLength(1);
        expect(onLicenses[0], name).toContain('USING INDEX licenses_number_idx');
      }
    } finally {
      await k.destroy();
    }
  });
});
