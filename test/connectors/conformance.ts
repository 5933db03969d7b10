/**
 * The conformance suite every SQL source connector passes. A dialect's test file supplies a
 * factory that creates a fresh, empty table and a connector opened on it with `trim: 'all'`:
 *
 *   key    — integer primary key (the suite uses ids 2, 10, 100 to catch text comparison)
 *   cursor — a nullable timestamp at microsecond precision (or TEXT where that is the practice)
 *   name   — a CHAR(n) column the fixture pads, as legacy systems do
 *
 * Cursor values are given as `YYYY-MM-DD HH:MM:SS.ffffff`; the suite never compares them with the
 * checkpoint text (each database formats its own), only the order and the set of keys read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import type { Checkpoint, Page, SourceConnector, StreamSpec } from '../../connectors/source.js';
import { isLicbridgeError } from '../../core/errors.js';

export interface FixtureRow {
  id: number;
  cursor: string | null;
  name: string;
}

export interface ConformanceFixture {
  connector: SourceConnector;
  /** The stream over the fresh table, with `cursor` set. */
  stream: StreamSpec & { cursor: string };
  /** The padded CHAR column's name. */
  nameColumn: string;
  insert(rows: FixtureRow[]): Promise<void>;
  /** Moves a row's cursor (and optionally its name), as an edit in the legacy system does. */
  update(id: number, change: { cursor: string; name?: string }): Promise<void>;
  /** Closes the connector (if still open) and drops what the factory created. */
  dispose(): Promise<void>;
  /** Network sources: kills the connector's server sessions, as a failover or a DBA would. */
  dropConnections?(): Promise<void>;
  /** Network sources: a connector on the same server with a wrong password, and the password. */
  badCredentials?(): Promise<{ connector: SourceConnector; user: string; password: string }>;
}

export type ConformanceFactory = () => Promise<ConformanceFixture>;

export async function readAll(
  connector: SourceConnector,
  stream: StreamSpec,
  pageSize: number,
  after: Checkpoint | null = null,
): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of connector.read({ stream, after, pageSize })) {
    pages.push(page);
    // A connector that re-reads its last row never ends; fail instead of hanging the run.
    if (pages.length > 1000) throw new Error(`read did not end after ${pages.length} pages`);
  }
  return pages;
}

/** The keys of the rows read, page after page. */
export const keysOf = (pages: Page[]): string[] => pages.flatMap((p) => p.rows.map((r) => r.key));

const ts = (second: number, micro = 0): string =>
  `2024-03-01 08:00:${String(second).padStart(2, '0')}.${String(micro).padStart(6, '0')}`;

/** Rows with cursors in an order unrelated to their keys; `expected` is the (cursor, key) order. */
function shuffledRows(n: number): { rows: FixtureRow[]; expected: string[] } {
  const rows: FixtureRow[] = [];
  for (let i = 1; i <= n; i++) rows.push({ id: i, cursor: ts((i * 7) % n), name: `N${i}` });
  const expected = [...rows]
    .sort((a, b) => (a.cursor ?? '').localeCompare(b.cursor ?? '') || a.id - b.id)
    .map((r) => String(r.id));
  return { rows, expected };
}

async function expectSchemaError(promise: Promise<unknown>, ...mentions: string[]): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
  if (!isLicbridgeError(error)) return;
  expect(error.code).toBe('LB_SOURCE_SCHEMA');
  expect(error.retryable).toBe(false);
  for (const m of mentions) expect(error.message).toContain(m);
}

/** The limit of the case that reads from every checkpoint of every page size (see there). */
const MANY_READS_TIMEOUT_MS = 300_000;

/**
 * Reads at once on one connector: its pool's size (two connections for every SQL source). A read
 * takes a connection for each page's transaction and gives it back, so two reads wait for a
 * round trip each at once, where one after the other each waited for both.
 */
const READS_AT_ONCE = 2;

/** Runs every task, at most `limit` at a time; fails with the first failure, once none runs. */
async function atMost(limit: number, tasks: readonly (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (next < tasks.length && failures.length === 0) {
      const task = tasks[next++] as () => Promise<void>;
      await task().catch((e: unknown) => {
        failures.push(e);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  if (failures.length > 0) throw failures[0];
}

export interface ConformanceFeatures {
  /** A database server: the suite also drops its connections mid-read and tries a bad password. */
  network?: boolean;
}

export function runConformance(
  name: string,
  factory: ConformanceFactory,
  features: ConformanceFeatures = {},
): void {
  describe(`${name}: SourceConnector conformance`, () => {
    let fx: ConformanceFixture;
    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      await fx.dispose();
    });

    it('checks its connection and closes, twice without harm', async () => {
      await expect(fx.connector.checkConnection()).resolves.toBeUndefined();
      await fx.connector.close();
      await expect(fx.connector.close()).resolves.toBeUndefined();
    });

    it('reads every row exactly once, in (cursor, key) order, in full pages', async () => {
      const { rows, expected } = shuffledRows(23);
      await fx.insert(rows);
      const pages = await readAll(fx.connector, fx.stream, 5);
      expect(pages.map((p) => p.rows.length)).toEqual([5, 5, 5, 5, 3]);
      expect(keysOf(pages)).toEqual(expected);
      for (const page of pages)
        expect(decodeKeyPosition(page.checkpoint, 'test').key).toBe(page.rows.at(-1)?.key);
    });

    it('resumes from a mid checkpoint with exactly the rest', async () => {
      const { rows, expected } = shuffledRows(23);
      await fx.insert(rows);
      const first = await readAll(fx.connector, fx.stream, 5);
      const mid = first[1]?.checkpoint ?? null;
      expect(mid).not.toBeNull();
      const rest = await readAll(fx.connector, fx.stream, 5, mid);
      expect(keysOf(rest)).toEqual(expected.slice(10));
    });

    // The suite's longest case by far: 68 reads, 908 pages (a read from the checkpoint after every
    // page of every page size; the size-1 reads alone 860 pages), where the others read a few dozen.
    // On PostgreSQL, 4 statements a page, it took 7-9 s with the two cores at a load of 6, and
    // 41-46 s (MariaDB, KingbaseES, PostgreSQL) at a load of 23, close to vitest's 60 s for a case:
    // under a heavier load it ran out of time while reading correctly. Its own limit, not fewer
    // reads: every resume stays checked. The resumes of a page size run two at a time, as many as
    // the connector's pool holds, each checked as alone (the rows do not change meanwhile).
    it('loses and repeats nothing when many rows share a cursor across page boundaries', {
      timeout: MANY_READS_TIMEOUT_MS,
    }, async () => {
      const rows: FixtureRow[] = [];
      // 17 rows at one cursor, 20 at another, 3 at a third, keys interleaved between the groups.
      for (let i = 1; i <= 40; i++) {
        rows.push({ id: ((i * 7) % 41) + 1, cursor: ts(i <= 17 ? 2 : i <= 37 ? 1 : 3), name: 'x' });
      }
      await fx.insert(rows);
      const expected = [...rows]
        .sort((a, b) => (a.cursor ?? '').localeCompare(b.cursor ?? '') || a.id - b.id)
        .map((r) => String(r.id));
      for (const size of [1, 4, 7, 13, 40, 41]) {
        const pages = await readAll(fx.connector, fx.stream, size);
        expect(keysOf(pages), `pageSize ${size}`).toEqual(expected);
        // Resuming after every page gives exactly the suffix, whatever the page size.
        let seen = 0;
        const resumes = pages.map((page) => {
          seen += page.rows.length;
          const after = seen;
          return async () => {
            const rest = await readAll(fx.connector, fx.stream, size, page.checkpoint);
            expect(keysOf(rest), `pageSize ${size} after ${after}`).toEqual(expected.slice(after));
          };
        });
        await atMost(READS_AT_ONCE, resumes);
      }
    });

    it('keeps microsecond cursor precision in the checkpoint', async () => {
      // Key order opposes cursor order: a checkpoint rounded to milliseconds would re-read id 1
      // or skip id 2.
      await fx.insert([
        { id: 2, cursor: ts(5, 123456), name: 'a' },
        { id: 1, cursor: ts(5, 123457), name: 'b' },
        { id: 3, cursor: ts(5, 123458), name: 'c' },
      ]);
      const pages = await readAll(fx.connector, fx.stream, 1);
      expect(keysOf(pages)).toEqual(['2', '1', '3']);
      const cp = pages[0]?.checkpoint;
      expect(cp && decodeKeyPosition(cp, 'test').cursor).toContain('123456');
      expect(keysOf(await readAll(fx.connector, fx.stream, 10, cp ?? null))).toEqual(['1', '3']);
    });

    it('reads rows again when their cursor moved forward after a checkpoint', async () => {
      const { rows } = shuffledRows(12);
      await fx.insert(rows);
      const pages = await readAll(fx.connector, fx.stream, 5);
      const end = pages.at(-1)?.checkpoint ?? null;
      expect(await readAll(fx.connector, fx.stream, 5, end)).toEqual([]);
      await fx.update(4, { cursor: '2024-03-02 09:00:00.000001', name: 'changed' });
      await fx.insert([{ id: 50, cursor: '2024-03-02 09:00:00.000002', name: 'new' }]);
      const again = await readAll(fx.connector, fx.stream, 5, end);
      expect(keysOf(again)).toEqual(['4', '50']);
      expect(again[0]?.rows[0]?.values[fx.nameColumn]).toBe('changed');
    });

    it('reads NULL-cursor rows first, once each, across pages and resumes', async () => {
      await fx.insert([
        { id: 7, cursor: null, name: 'n' },
        { id: 1, cursor: ts(9), name: 'a' },
        { id: 3, cursor: null, name: 'n' },
        { id: 2, cursor: ts(8), name: 'b' },
        { id: 5, cursor: null, name: 'n' },
      ]);
      const expected = ['3', '5', '7', '2', '1'];
      for (const size of [1, 2, 4, 10]) {
        const pages = await readAll(fx.connector, fx.stream, size);
        expect(keysOf(pages), `pageSize ${size}`).toEqual(expected);
        let seen = 0;
        for (const page of pages) {
          seen += page.rows.length;
          expect(keysOf(await readAll(fx.connector, fx.stream, size, page.checkpoint))).toEqual(
            expected.slice(seen),
          );
        }
      }
    });

    it('compares integer keys as numbers, in key-only streams and keys()', async () => {
      const ids = [100, 2, 10, 9, 11, 1, 20, 3, 1000, 99, 12, 101];
      await fx.insert(ids.map((id) => ({ id, cursor: ts(1), name: 'k' })));
      const sorted = [...ids].sort((a, b) => a - b).map(String);
      const keyOnly = { table: fx.stream.table, key: fx.stream.key };
      const pages = await readAll(fx.connector, keyOnly, 5);
      expect(keysOf(pages)).toEqual(sorted);
      expect(decodeKeyPosition(pages[0]?.checkpoint ?? '', 'test').cursor).toBeNull();
      expect(keysOf(await readAll(fx.connector, keyOnly, 5, pages[0]?.checkpoint ?? null))).toEqual(
        sorted.slice(5),
      );
      const chunks: string[][] = [];
      for await (const chunk of fx.connector.keys(fx.stream, { chunkSize: 4 })) chunks.push(chunk);
      expect(chunks.map((c) => c.length)).toEqual([4, 4, 4]);
      expect(chunks.flat()).toEqual(sorted);
    });

    it('agrees between count, keys and reads', async () => {
      const { rows } = shuffledRows(31);
      await fx.insert(rows);
      expect(await fx.connector.count(fx.stream)).toBe(31);
      const keys: string[] = [];
      for await (const chunk of fx.connector.keys(fx.stream, { chunkSize: 8 })) keys.push(...chunk);
      const read = keysOf(await readAll(fx.connector, fx.stream, 6));
      expect(new Set(keys).size).toBe(31);
      expect([...read].sort()).toEqual([...keys].sort());
    });

    it('trims CHAR padding and gives every row its key as text', async () => {
      await fx.insert([{ id: 1, cursor: ts(1), name: 'A' }]);
      const [page] = await readAll(fx.connector, fx.stream, 10);
      const row = page?.rows[0];
      expect(row?.key).toBe('1');
      expect(row?.values[fx.nameColumn]).toBe('A');
    });

    it('names a missing table with close matches', async () => {
      const typo = `${fx.stream.table.slice(0, -1)}q`;
      await expectSchemaError(fx.connector.count({ ...fx.stream, table: typo }), typo, fx.stream.table);
      await expectSchemaError(readAll(fx.connector, { ...fx.stream, table: typo }, 5), typo);
    });

    it('names a missing key or cursor column with close matches', async () => {
      const cursorTypo = `${fx.stream.cursor}x`;
      await expectSchemaError(
        readAll(fx.connector, { ...fx.stream, cursor: cursorTypo }, 5),
        cursorTypo,
        fx.stream.cursor,
        fx.stream.table,
      );
      const keyTypo = `${fx.stream.key}_`;
      await expectSchemaError(fx.connector.count({ ...fx.stream, key: keyTypo }), keyTypo, fx.stream.key);
    });

    it('discovers the table, its columns, key and cursor candidates', async () => {
      await fx.insert([{ id: 1, cursor: ts(1), name: 'A' }]);
      const [info] = await fx.connector.discover({ table: fx.stream.table });
      expect(info?.rowCount).toBe(1);
      const names = info?.columns.map((c) => c.name.toUpperCase());
      expect(names).toEqual(
        expect.arrayContaining([fx.stream.key, fx.stream.cursor, fx.nameColumn].map((n) => n.toUpperCase())),
      );
      expect(info?.candidateKeys.map((n) => n.toUpperCase())).toContain(fx.stream.key.toUpperCase());
      expect(info?.candidateCursors.map((n) => n.toUpperCase())).toContain(fx.stream.cursor.toUpperCase());
      expect(
        info?.columns.find((c) => c.name.toUpperCase() === fx.stream.cursor.toUpperCase())?.nullable,
      ).toBe(true);
      const all = await fx.connector.discover();
      expect(all.map((t) => t.name.toUpperCase())).toContain(fx.stream.table.toUpperCase());
    });

    // Registered only for database servers: a file has no connection to drop and no password.
    const network = (title: string, fn: () => Promise<void>): void => {
      if (features.network) it(title, fn);
    };
    network('reconnects when the connection drops mid-read, losing and repeating nothing', async () => {
      const drop = fx.dropConnections;
      if (!drop) throw new Error('a network fixture needs dropConnections()');
      const { rows, expected } = shuffledRows(23);
      await fx.insert(rows);
      const keys: string[] = [];
      let pages = 0;
      for await (const page of fx.connector.read({ stream: fx.stream, after: null, pageSize: 5 })) {
        keys.push(...page.rows.map((r) => r.key));
        pages += 1;
        if (pages === 2) await drop();
      }
      expect(keys).toEqual(expected);
    });

    network('fails on bad credentials at once, naming source and user but never the password', async () => {
      if (!fx.badCredentials) throw new Error('a network fixture needs badCredentials()');
      const bad = await fx.badCredentials();
      try {
        const error = await bad.connector.checkConnection().then(
          () => null,
          (e: unknown) => e,
        );
        expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
        if (!isLicbridgeError(error)) return;
        expect(error.code).toBe('LB_SOURCE_AUTH');
        expect(error.retryable).toBe(false);
        expect(error.message).toContain(bad.connector.name);
        expect(error.message).toContain(bad.user);
        expect(error.message).not.toContain(bad.password);
        expect(JSON.stringify(error.toJSON())).not.toContain(bad.password);
      } finally {
        await bad.connector.close();
      }
    });

    it('stops reading when its signal is aborted', async () => {
      await fx.insert(shuffledRows(10).rows);
      const controller = new AbortController();
      const seen: Page[] = [];
      const reading = (async () => {
        for await (const page of fx.connector.read({
          stream: fx.stream,
          after: null,
          pageSize: 3,
          signal: controller.signal,
        })) {
          seen.push(page);
          controller.abort();
        }
      })();
      await expect(reading).rejects.toThrow();
      expect(seen).toHaveLength(1);
    });
  });
}
