/**
 * Rows whose key is NULL, or empty once trimmed, on real SQLite (NULLs sort first) and PostgreSQL
 * (NULLs sort last): each is read once per read and quarantined under a stand-in key of its own,
 * the same on every run, never merged with another and never a checkpoint position; keyed rows
 * are read exactly once whatever the page size and wherever the page boundary falls; the key sets
 * and bucket digests reconciliation reads name the same stand-ins, never a phantom "null"; two
 * stored keys that trimming makes one are both quarantined; a nullable, non-unique key column is
 * warned about once.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResumePoint } from '../../connectors/key-position.js';
import { openSource } from '../../connectors/open-source.js';
import type { Page, SourceConnector, SourceRow, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { readAll } from './conformance.js';
import { type FreshEngine, freshMariadb, freshPostgres, freshSqlite } from './fresh-engines.js';

interface Engine extends Omit<FreshEngine, 'dialect'> {
  /** Declared types of the key and the cursor. */
  keyType: string;
  cursorType: string;
}

const STAND_IN = /^K:missing#[0-9a-f]{16}$/;
const cut = (s: number) => `2024-03-01 08:00:${String(s).padStart(2, '0')}`;

/** [key, name, cursor]: NULL keys in the NULL-cursor phase, mid-way, and at the last cursor. */
const ROWS: [string | null, string, string | null][] = [
  ['A1', 'one', cut(1)],
  [null, 'two', cut(2)],
  ['A3', 'three', cut(2)],
  [null, 'four', null],
  ['A5', 'five', null],
  ['   ', 'blank', cut(5)],
  [null, 'six', cut(9)],
  ['A7', 'seven', cut(9)],
];
const KEYED = ['A1', 'A3', 'A5', 'A7'];
const KEYLESS = ['two', 'four', 'blank', 'six'];

const lit = (v: string | null) => (v === null ? 'NULL' : `'${v}'`);

async function makeTable(engine: Engine, rows = ROWS): Promise<string> {
  const { q } = engine;
  const t = `T_${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
  await engine.exec(
    `CREATE TABLE ${q(t)} (${q('K')} ${engine.keyType}, ${q('NAME')} VARCHAR(20), ${q('GXSJ')} ${engine.cursorType})`,
  );
  await insert(engine, t, rows);
  return t;
}

async function insert(engine: Engine, t: string, rows: typeof ROWS): Promise<void> {
  const { q } = engine;
  const values = rows.map(([k, n, c]) => `(${lit(k)}, '${n}', ${lit(c)})`).join(', ');
  await engine.exec(`INSERT INTO ${q(t)} (${q('K')}, ${q('NAME')}, ${q('GXSJ')}) VALUES ${values}`);
}

const rowsOf = (pages: Page[]): SourceRow[] => pages.flatMap((p) => p.rows);
const nameOf = (r: SourceRow) => String(r.values.NAME);

function expectKeylessQuarantined(rows: SourceRow[], names = KEYLESS): Map<string, string> {
  const keyless = rows.filter((r) => names.includes(nameOf(r)));
  expect(keyless.map(nameOf).sort()).toEqual([...names].sort());
  for (const r of keyless) {
    expect(r.key).toMatch(STAND_IN);
    expect(r.problems).toEqual([expect.objectContaining({ column: 'K', code: 'LB_SOURCE_KEY_MISSING' })]);
    // The message names the column, never a value.
    expect(r.problems?.[0]?.message).not.toContain(nameOf(r));
  }
  expect(new Set(keyless.map((r) => r.key)).size).toBe(names.length);
  return new Map(keyless.map((r) => [nameOf(r), r.key]));
}

function capturedLogger() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ destination, level: 'info' });
  const lines = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines };
}

function describeEngine(name: string, engine: () => Engine): void {
  describe(name, () => {
    let t: string;
    let source: SourceConnector;
    beforeAll(async () => {
      t = await makeTable(engine());
      source = await openSource('legacy', engine().config());
    });
    afterAll(async () => source?.close());

    const streams = (): StreamSpec[] => [
      { table: t, key: 'K' },
      { table: t, key: 'K', cursor: 'GXSJ' },
    ];

    it('reads every keyed row once and quarantines each keyless row under its own stand-in, at any page size', async () => {
      for (const stream of streams()) {
        let standIns: Map<string, string> | undefined;
        for (const pageSize of [1, 2, 3, 100]) {
          const pages = await readAll(source, stream, pageSize);
          const rows = rowsOf(pages);
          const keyed = rows.filter((r) => !r.problems);
          expect(keyed.map((r) => r.key).sort(), `${stream.cursor} ${pageSize}`).toEqual(KEYED);
          expect(rows).toHaveLength(ROWS.length);
          expect(rows.some((r) => r.key === 'null' || r.key === '')).toBe(false);
          const found = expectKeylessQuarantined(rows);
          // The same stand-ins on every read: an operator finds the row again.
          if (standIns) expect(found).toEqual(standIns);
          standIns = found;
          // Checkpoints name stored keys only (a blank one is a place in key order), never a
          // stand-in; the last names the last keyed row.
          for (const p of pages) {
            const at = decodeResumePoint(p.checkpoint, 'legacy');
            expect(at === null || [...KEYED, '   '].includes(at.key)).toBe(true);
          }
          expect(decodeResumePoint(pages.at(-1)?.checkpoint ?? '', 'legacy')?.key).toBe('A7');
        }
      }
    });

    it('resumes after the last keyed row: nothing keyed read twice, new keyless rows found', async () => {
      const t2 = await makeTable(engine());
      const stream: StreamSpec = { table: t2, key: 'K', cursor: 'GXSJ' };
      const first = await readAll(source, stream, 2);
      const checkpoint = first.at(-1)?.checkpoint ?? null;
      await insert(engine(), t2, [
        ['A8', 'eight', cut(10)],
        [null, 'nine', cut(11)],
      ]);
      const next = rowsOf(await readAll(source, stream, 2, checkpoint));
      expect(next.filter((r) => !r.problems).map((r) => r.key)).toEqual(['A8']);
      const keyless = next.filter((r) => r.problems).map(nameOf);
      // Rows without a key since the run's start cursor (cut 9 on): `six` again, and the new one.
      expect(keyless.sort()).toEqual(['nine', 'six']);
    });

    it('a run stopped after its first keyed page has already read every keyless row its checkpoint passes', async () => {
      const stream: StreamSpec = { table: t, key: 'K', cursor: 'GXSJ' };
      const seen: SourceRow[] = [];
      let checkpoint: string | null = null;
      for await (const page of source.read({ stream, after: null, pageSize: 2 })) {
        seen.push(...page.rows);
        checkpoint = page.checkpoint;
        if (page.rows.some((r) => !r.problems)) break; // the run is killed here
      }
      // Every NULL key (a blank one has its place in key order and is read there).
      expect(
        seen
          .filter((r) => r.problems)
          .map(nameOf)
          .sort(),
      ).toEqual(['four', 'six', 'two']);
      // The next run resumes from the committed checkpoint and reads the keyed rest once.
      const rest = rowsOf(await readAll(source, stream, 2, checkpoint));
      const all = [...seen, ...rest];
      expect(
        all
          .filter((r) => !r.problems)
          .map((r) => r.key)
          .sort(),
      ).toEqual(KEYED);
      expect(new Set(all.filter((r) => r.problems).map(nameOf))).toEqual(new Set(KEYLESS));
    });

    it('lists the same keys for the light check as the read gives: stand-ins, no "null"', async () => {
      const stream: StreamSpec = { table: t, key: 'K', cursor: 'GXSJ' };
      const read = rowsOf(await readAll(source, stream, 100)).map((r) => r.key);
      const listed: string[] = [];
      for await (const chunk of source.keys(stream, { chunkSize: 2 })) listed.push(...chunk);
      expect([...listed].sort()).toEqual([...read].sort());
    });

    it('buckets keyless rows by their stand-in keys, in the digests and the drill-down', async () => {
      const stream: StreamSpec = { table: t, key: 'K', cursor: 'GXSJ' };
      const buckets = 16;
      const read = rowsOf(await readAll(source, stream, 100));
      const digests = (await source.bucketDigests?.(stream, { buckets })) ?? [];
      const expected = new Map<number, number>();
      for (const r of read)
        expected.set(keyBucket(r.key, buckets), (expected.get(keyBucket(r.key, buckets)) ?? 0) + 1);
      expect(new Map(digests.map((d) => [d.bucket, d.count]))).toEqual(expected);
      const drilled: SourceRow[] = [];
      const wanted = Array.from({ length: buckets }, (_, i) => i);
      for await (const chunk of source.readBuckets?.(stream, { buckets, wanted, pageSize: 2 }) ?? []) {
        chunk.rows.forEach((r, i) => {
          if (chunk.buckets) expect(chunk.buckets[i]).toBe(keyBucket(r.key, buckets));
        });
        drilled.push(...chunk.rows);
      }
      expect(drilled.map((r) => r.key).sort()).toEqual(read.map((r) => r.key).sort());
    });

    it('quarantines both rows of a page whose stored keys differ only by trailing spaces', async () => {
      const t3 = await makeTable(engine(), [
        ['JY001', 'j1', cut(1)],
        ['JY001 ', 'j2', cut(1)],
        ['JY002', 'j3', cut(2)],
      ]);
      const rows = rowsOf(await readAll(source, { table: t3, key: 'K', cursor: 'GXSJ' }, 10));
      const byName = new Map(rows.map((r) => [nameOf(r), r]));
      for (const n of ['j1', 'j2']) {
        expect(byName.get(n)?.key).toBe('JY001');
        expect(byName.get(n)?.problems).toEqual([
          expect.objectContaining({ column: 'K', code: 'LB_SOURCE_KEY_AMBIGUOUS' }),
        ]);
      }
      expect(byName.get('j3')?.problems).toBeUndefined();
    });

    it('warns once that the key column allows NULL and is not unique, naming only table and column', async () => {
      const log = capturedLogger();
      const watched = await openSource('legacy', engine().config(), { logger: log.logger });
      try {
        await watched.checkStream?.({ table: t, key: 'K', cursor: 'GXSJ' });
        await readAll(watched, { table: t, key: 'K', cursor: 'GXSJ' }, 100);
        const warnings = log.lines().filter((l) => /allows NULL/.test(String(l.msg)));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatchObject({ level: 40, source: 'legacy', keyColumn: 'K' });
      } finally {
        await watched.close();
      }
    });
  });
}

const sqlite = freshSqlite('licbridge-null-keys-');

describeEngine('on SQLite (NULLs first)', () => ({ ...sqlite(), keyType: 'TEXT', cursorType: 'TEXT' }));

const postgres = freshPostgres();

describeEngine('on PostgreSQL (NULLs last)', () => ({
  ...postgres(),
  keyType: 'VARCHAR(20)',
  cursorType: 'TIMESTAMP(6)',
}));

describe('on PostgreSQL, inside the lag window', () => {
  it('holds back a keyless row changed within lagMs, as it holds back keyed rows', async () => {
    const pg = postgres();
    await pg.exec('CREATE TABLE "LAGGED" ("K" varchar(20), "NAME" varchar(20), "GXSJ" timestamp(6))');
    await pg.exec(`INSERT INTO "LAGGED" VALUES
      ('A1', 'old', TIMESTAMP '2024-03-01 08:00:00'), (NULL, 'old-keyless', TIMESTAMP '2024-03-01 08:00:01'),
      ('A2', 'new', LOCALTIMESTAMP), (NULL, 'new-keyless', LOCALTIMESTAMP)`);
    const source = await openSource('legacy', pg.config());
    try {
      const names = async (lagMs: number) =>
        rowsOf(await readAll(source, { table: 'LAGGED', key: 'K', cursor: 'GXSJ', lagMs }, 10))
          .map(nameOf)
          .sort();
      expect(await names(3_600_000)).toEqual(['old', 'old-keyless']);
      expect(await names(0)).toEqual(['new', 'new-keyless', 'old', 'old-keyless']);
    } finally {
      await source.close();
    }
  });
});

const mariadb = freshMariadb();

describeEngine('on MariaDB (NULLs first, digests in the database)', () => ({
  ...mariadb(),
  keyType: 'VARCHAR(20)',
  cursorType: 'DATETIME(6)',
}));
