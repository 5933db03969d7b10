/**
 * Runs stopped after any committed page, resumed from their checkpoint, with the export folder
 * changing between runs as legacy export tools change it: new files whose names sort anywhere
 * (late exports), files rewritten under their names (records appended, changed, dropped, reordered),
 * files deleted. Whatever the sequence, once a run ends, the ledger holds for every key of the
 * folder its latest record (docs/xml-exports.md), or a newer one read before its file was
 * rewritten or deleted — as a run that never stopped would. The sequences are drawn from a fixed
 * seed: each run of the test replays the same ones, and a seed that fails names its sequence.
 *
 * The ledger is modelled as ledger/commit-page.ts keeps it: a row older than the stored order
 * (the connector's `compareOrders`) is superseded, one with the same content only moves the order.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Checkpoint, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { createLogger } from '../../core/logger.js';
import { memoryState, RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

type Rec = { ID: string; GXSJ: string | null; MC: string };

const CURSORS = [null, '2024-03-01 08:00:00', '2024-03-02 08:00:00', '2024-03-03 08:00:00'];
const KEYS = ['1', '2', '3', '4'];
const NAMES = Array.from({ length: 8 }, (_, i) => `E${String(i + 1).padStart(3, '0')}.xml`);
const quiet = createLogger({ level: 'silent' });

/** A small linear congruential generator: the same seed, the same sequence. */
function generator(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

interface Held {
  order: string;
  text: string;
}

/**
 * A folder, a source reading it with a files-read record, and the ledger model. `run` reads like
 * an extract run: each page committed, then, after `stopAfter` pages, a crash.
 */
function harness(stream: StreamSpec) {
  const dir = tempFolder();
  const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState(), logger: quiet });
  const ledger = new Map<string, Held>();
  let checkpoint: Checkpoint | null = null;
  const run = async (pageSize: number, stopAfter = Number.POSITIVE_INFINITY) => {
    let pages = 0;
    for await (const page of source.read({ stream, after: checkpoint, pageSize })) {
      for (const row of page.rows) {
        const order = page.orders?.get(row.key) as string;
        const text = String(row.values.MC);
        const held = ledger.get(row.key);
        if (!held) ledger.set(row.key, { order, text });
        else if (source.compareOrders(order, held.order) >= 0) Object.assign(held, { order, text });
      }
      checkpoint = page.checkpoint;
      if (++pages >= stopAfter) break;
    }
  };
  /** Each key's text as the ledger holds it. */
  const held = () => Object.fromEntries([...ledger].map(([key, h]) => [key, h.text]));
  const done = async () => {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, source, ledger, run, held, done };
}

/** A record without an update time leaves the element out, as JAXB does. */
const written = (records: readonly Rec[]) =>
  records.map((r) => (r.GXSJ === null ? { ID: r.ID, MC: r.MC } : r));

/** One sequence of folder changes and runs; the problems found, with the sequence, or null. */
async function sequence(seed: number, stream: StreamSpec): Promise<string | null> {
  const { next, pick } = generator(seed);
  let made = 0;
  const record = (): Rec => ({ ID: pick(KEYS), GXSJ: pick(CURSORS), MC: `v${++made}` });
  const t = harness(stream);
  const folder = new Map<string, Rec[]>();
  const steps: string[] = [];
  const write = async (name: string, records: Rec[]) => {
    folder.set(name, records);
    await writeExport(t.dir, name, written(records));
  };

  try {
    for (let step = 0; step < 10; step++) {
      const what = next();
      if (what < 0.3 || folder.size === 0) {
        const free = NAMES.filter((n) => !folder.has(n));
        if (free.length === 0) continue;
        const name = pick(free);
        const records = Array.from({ length: 1 + Math.floor(next() * 4) }, record);
        steps.push(`write ${name} ${JSON.stringify(records)}`);
        await write(name, records);
      } else if (what < 0.5) {
        const name = pick([...folder.keys()]);
        const records = [...(folder.get(name) as Rec[])];
        const how = next();
        const at = Math.floor(next() * records.length);
        if (how < 0.3) records.push(record());
        else if (how < 0.55) records[at] = { ...(records[at] as Rec), GXSJ: pick(CURSORS), MC: `v${++made}` };
        else if (how < 0.7 && records.length > 1) records.splice(at, 1);
        else if (how < 0.85) records.reverse();
        else {
          steps.push(`delete ${name}`);
          folder.delete(name);
          rmSync(join(t.dir, name));
          continue;
        }
        steps.push(`rewrite ${name} ${JSON.stringify(records)}`);
        await write(name, records);
      } else {
        const pageSize = 1 + Math.floor(next() * 2);
        const stopAfter = next() < 0.7 ? 1 + Math.floor(next() * 3) : Number.POSITIVE_INFINITY;
        steps.push(`run pageSize ${pageSize}, stop after ${stopAfter} pages`);
        await t.run(pageSize, stopAfter);
      }
    }
    steps.push('run to the end');
    await t.run(2);

    // The folder as it is now, read whole by a check: each key's latest record and its order.
    const check = openXmlFilesSource('check', xmlConfig(t.dir), { logger: quiet });
    const latest = new Map<string, { text: string; order: string }>();
    for await (const page of check.read({ stream, after: null, pageSize: 100, record: false })) {
      for (const row of page.rows) {
        latest.set(row.key, { text: String(row.values.MC), order: page.orders?.get(row.key) as string });
      }
    }
    await check.close();
    const problems: string[] = [];
    for (const [key, { text, order }] of latest) {
      const held = t.ledger.get(key);
      // Newer than the folder's latest: a record read before its file was rewritten or deleted.
      const compared = held ? t.source.compareOrders(held.order, order) : -1;
      if (!held || compared < 0 || (compared === 0 && held.text !== text)) {
        problems.push(
          `key ${key}: the ledger holds ${held ? held.text : 'nothing'}, the folder's latest is ${text}`,
        );
      }
    }
    return problems.length === 0 ? null : `seed ${seed}: ${problems.join('; ')}\n  ${steps.join('\n  ')}`;
  } finally {
    await t.done();
  }
}

describe('xml-files: runs stopped anywhere and resumed while the folder changes', () => {
  const streams: [string, StreamSpec][] = [
    ['with a cursor', { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' }],
    ['key only', { table: RECORD_PATH, key: 'ID' }],
  ];
  for (const [label, stream] of streams) {
    // Equal cursors (a date-only update time) tie as a key-only stream does. The same end whether
    // the run reading the changed content stopped inside it or not.
    for (const stopped of [false, true]) {
      it(`${label}: a file written again as it was recorded read, after a run ${stopped ? 'stopped inside' : 'read'} another content of it, is read again`, async () => {
        const t = harness(stream);
        try {
          const day = '2024-03-01 00:00:00';
          const first = [
            { ID: '1', GXSJ: day, MC: 'a' },
            { ID: '2', GXSJ: day, MC: 'b' },
          ];
          await writeExport(t.dir, 'E001.xml', written(first));
          await t.run(10);
          // The export is written again with a change, and the run reading it may stop after a page.
          const changed = [
            { ID: '1', GXSJ: day, MC: 'a2' },
            { ID: '2', GXSJ: day, MC: 'b2' },
          ];
          await writeExport(t.dir, 'E001.xml', written(changed));
          await t.run(1, stopped ? 1 : Number.POSITIVE_INFINITY);
          expect(t.held()).toEqual(stopped ? { 1: 'a2', 2: 'b' } : { 1: 'a2', 2: 'b2' });
          // The change is taken back at the source and the export written again as it first was.
          await writeExport(t.dir, 'E001.xml', written(first));
          await t.run(10);
          expect(t.held()).toEqual({ 1: 'a', 2: 'b' });
        } finally {
          await t.done();
        }
      });
    }

    it(`${label}: the ledger ends with every key's latest record`, async () => {
      const failures: string[] = [];
      for (let seed = 1; seed <= 60; seed++) {
        const problem = await sequence(seed, stream);
        if (problem) failures.push(problem);
      }
      expect(failures).toEqual([]);
    });
  }
});
