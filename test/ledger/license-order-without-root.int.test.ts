/**
 * Migration 054 on a ledger written before it, on both backends: on PostgreSQL
 * `licenses_pipeline_id_bytes_idx` holds each license id without the root `1.2.156.3005.2.` that
 * every identifier starts with (an order key: `B` and the rest, or `A` / `C` and the whole id for
 * one that sorts before / after every id with the root). The walks of a pipeline's licenses in
 * byte order (`pipelineLicensePage`, `licensesAtTarget`) read every license once, in the ids'
 * byte order, ids without the root among them, before the migration, after it, and after down
 * and up again. SQLite walks its primary key, unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licenseOrderKey, licensesAtTarget, pipelineLicensePage } from '../../ledger/reconcile-store.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const M054 = MIGRATIONS.find((m) => m.name === '054-license-order-without-root');
const ROOT = '1.2.156.3005.2.';
const PIPELINE = 'm054';

/**
 * Ids of every kind the key tells apart: with the root (serials whose bytes and whose numbers sort
 * differently), before the root (a prefix of it, a lower arc), after it (a higher arc, a byte just
 * above its last dot, letters beyond ASCII).
 */
const IDS = [
  `${ROOT}11370200MB12345674001.11370211MB12345672.9`,
  `${ROOT}11370200MB12345674001.11370211MB12345672.10`,
  `${ROOT}11370200MB12345674001.11370211MB12345672.A1`,
  `${ROOT}11370200MB12345674001.11370211MB12345699.1`,
  `${ROOT}1`,
  '1.2.156.3005.2',
  '1.2.156.3005.1.X',
  '0.9',
  '1.2.156.3005.3.X',
  '1.2.156.3005.2/X',
  '2',
  '证照.1',
];

const byBytes = (ids: readonly string[]): string[] =>
  [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

function licenseOf(n: number, licenseId: string): VersionCandidate {
  const c = candidate({ n, pipeline: PIPELINE });
  return {
    ...c,
    licenseId,
    build: (version) => ({
      ...c.build(version),
      identifier: `${licenseId}.${String(version).padStart(3, '0')}.F`,
    }),
  };
}

/** Every license of the pipeline, `size` at a time, through both walks: the ids in walk order. */
async function walks(db: Db, size: number): Promise<[string[], string[]]> {
  const out: [string[], string[]] = [[], []];
  const pages = [
    (after: string) => pipelineLicensePage(db, PIPELINE, after, size),
    (after: string) => licensesAtTarget(db, PIPELINE, 'province', after, size),
  ];
  for (const [i, page] of pages.entries()) {
    let after = '';
    for (;;) {
      const got = await page(after);
      out[i]?.push(...got.map((l) => l.licenseId));
      if (got.length < size) break;
      after = got[got.length - 1]?.licenseId ?? after;
    }
  }
  return out;
}

describe.each(BACKENDS)(
  'migration 054, license ids without their root in the walks’ index ($name)',
  (backend) => {
    let database: TestDatabase;
    let raw: Knex;
    let db: Db;
    // Enough entries for the index to take pages: 15 bytes each off tell in its size.
    const many = Array.from(
      { length: 1500 },
      (_, i) => `${ROOT}11370200MB12345674001.11370211MB12345672.S${i}`,
    );
    const all = byBytes([...IDS, ...many]);

    beforeAll(async () => {
      database = await backend.create();
      const ledger = await openLedger(database.url, { logger: quietLogger });
      try {
        const page = [...IDS, ...many].map((id, i) => licenseOf(i + 1, id));
        await commitOnePage(ledger, PIPELINE, randomUUID(), page);
      } finally {
        await ledger.close();
      }
      raw = rawKnex(database.url);
      db = createDb({
        knex: raw,
        dialect: backend.name,
        maxParams: backend.name === 'postgres' ? 65_535 : 32_766,
        maxRows: Number.POSITIVE_INFINITY,
        log: quietLogger,
        exclusive: noWriteLock,
      });
    }, 60_000);

    afterAll(async () => {
      await raw?.destroy();
      await database?.dispose();
    });

    it('walks every license once in byte order, ids without the root among them', async () => {
      expect(await walks(db, 7)).toEqual([all, all]);
    });

    it('walks the same on the ledger of the release before, and after the migration again', async () => {
      // 054 alone: the later migrations' columns stay, as the code walking reads them.
      await M054?.down(raw);
      try {
        expect(await walks(db, 7)).toEqual([all, all]);
      } finally {
        await M054?.up(raw);
      }
      expect(await walks(db, 7)).toEqual([all, all]);
    });

    if (backend.name === 'postgres')
      it('keeps the walks’ index smaller than one holding the whole ids (PostgreSQL)', async () => {
        const size = async (index: string) =>
          Number((await raw.raw('select pg_relation_size(?::regclass) as n', [index])).rows[0].n);
        await raw.raw(
          'create index m054_whole_ids on licenses (hashtextextended(pipeline, 0), license_id collate "C")',
        );
        try {
          expect(await size('licenses_pipeline_id_bytes_idx')).toBeLessThan(await size('m054_whole_ids'));
        } finally {
          await raw.raw('drop index m054_whole_ids');
        }
      });

    if (backend.name === 'postgres')
      it('keys the walks as the index is keyed (PostgreSQL)', async () => {
        // The index serves a walk only while the walk names its expression as the migration wrote it.
        const def = async (index: string) =>
          String((await raw.raw('select pg_get_indexdef(?::regclass) as def', [index])).rows[0].def).replace(
            /^.* USING btree /,
            '',
          );
        await raw.raw(
          `create index m054_probe on licenses (hashtextextended(pipeline, 0), ${licenseOrderKey('license_id')})`,
        );
        try {
          expect(await def('m054_probe')).toBe(await def('licenses_pipeline_id_bytes_idx'));
        } finally {
          await raw.raw('drop index m054_probe');
        }
      });
  },
);
