/**
 * Runs of an xml-files pipeline stopped after a committed page and resumed from their checkpoint,
 * while the export folder changes between runs as legacy export tools change it: a sequence of
 * steps (write a file, delete one, run), then a run to the end, after which the ledger must hold
 * for every key of the folder its latest record (docs/xml-exports.md), or a newer one read before
 * its file was rewritten or deleted — as a run that never stopped would.
 *
 * The ledger is modelled as ledger/commit-page.ts keeps it: a row older than the stored order
 * (the connector's `compareOrders`) is superseded, one with the same content only moves the order.
 * Used by xml-files-resume-runs.test.ts (the sequences that matter, written out) and
 * xml-files-resume-sweep.int.test.ts (sequences drawn from seeds).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint, SourceReader, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { createLogger } from '../../core/logger.js';
import {
  type ExportRecord,
  memoryState,
  RECORD_PATH,
  tempFolder,
  writeExport,
  xmlConfig,
} from './xml-fixtures.js';

/** A record of the export: a null update time leaves the element out, as JAXB does. */
export type Rec = { ID: string; GXSJ?: string | null; MC: string };

export type Step =
  | { write: string; records: readonly Rec[] }
  | { delete: string }
  /** A run of `pageSize` pages that stops after `stop` committed pages (a crash), or reads to the end. */
  | { run: number; stop?: number; full?: boolean; reader?: SourceReader };

export const STREAMS: readonly [string, StreamSpec][] = [
  ['with a cursor', { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' }],
  ['key only', { table: RECORD_PATH, key: 'ID' }],
];

const quiet = createLogger({ level: 'silent' });

const written = (records: readonly Rec[]): ExportRecord[] =>
  records.map(
    (r): ExportRecord => (r.GXSJ == null ? { ID: r.ID, MC: r.MC } : { ID: r.ID, GXSJ: r.GXSJ, MC: r.MC }),
  );

interface Held {
  order: string;
  text: string;
}

/**
 * A folder, a source reading it with a files-read record, and the ledger model. `run` reads like
 * an extract run: each page committed, then, after `stop` pages, a crash.
 */
export function harness(stream: StreamSpec) {
  const dir = tempFolder();
  const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState(), logger: quiet });
  const ledger = new Map<string, Held>();
  let checkpoint: Checkpoint | null = null;
  /** The keys the last run read, in order. */
  let read: string[] = [];
  const run = async (step: { run: number; stop?: number; full?: boolean; reader?: SourceReader }) => {
    let pages = 0;
    read = [];
    const after = step.full ? null : checkpoint;
    const reader = step.reader ? { reader: step.reader } : {};
    for await (const page of source.read({ stream, after, pageSize: step.run, ...reader })) {
      for (const row of page.rows) {
        read.push(row.key);
        const order = page.orders?.get(row.key) as string;
        const text = String(row.values.MC);
        const held = ledger.get(row.key);
        if (!held) ledger.set(row.key, { order, text });
        else if (source.compareOrders(order, held.order) >= 0) Object.assign(held, { order, text });
      }
      checkpoint = page.checkpoint;
      if (++pages >= (step.stop ?? Number.POSITIVE_INFINITY)) break;
    }
  };
  const apply = async (step: Step) => {
    if ('write' in step) await writeExport(dir, step.write, written(step.records));
    else if ('delete' in step) rmSync(join(dir, step.delete));
    else await run(step);
  };
  /** Each key's text as the ledger holds it. */
  const held = () => Object.fromEntries([...ledger].map(([key, h]) => [key, h.text]));
  const done = async () => {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    dir,
    apply,
    held,
    done,
    get read(): readonly string[] {
      return read;
    },
    get checkpoint() {
      return checkpoint;
    },
    set checkpoint(c: Checkpoint | null) {
      checkpoint = c;
    },
    /** Where the ledger model misses a key's latest record of the folder as it is now; empty when none. */
    async problems(): Promise<string[]> {
      // The folder read whole by a check: each key's latest record and its order.
      const check = openXmlFilesSource('check', xmlConfig(dir), { logger: quiet });
      const latest = new Map<string, Held>();
      try {
        for await (const page of check.read({ stream, after: null, pageSize: 100, record: false })) {
          for (const row of page.rows) {
            latest.set(row.key, { text: String(row.values.MC), order: page.orders?.get(row.key) as string });
          }
        }
      } finally {
        await check.close();
      }
      const problems: string[] = [];
      for (const [key, { text, order }] of latest) {
        const h = ledger.get(key);
        // Newer than the folder's latest: a record read before its file was rewritten or deleted.
        const compared = h ? source.compareOrders(h.order, order) : -1;
        if (!h || compared < 0 || (compared === 0 && h.text !== text)) {
          problems.push(
            `key ${key}: the ledger holds ${h ? h.text : 'nothing'}, the folder's latest is ${text}`,
          );
        }
      }
      return problems;
    },
  };
}

/** Runs the steps, then a run to the end: the problems found, each with the steps, or none. */
export async function replay(stream: StreamSpec, steps: readonly Step[]): Promise<string[]> {
  const t = harness(stream);
  try {
    for (const step of steps) await t.apply(step);
    await t.apply({ run: 2 });
    const problems = await t.problems();
    if (problems.length === 0) return [];
    return [`${problems.join('; ')}\n  ${steps.map((s) => JSON.stringify(s)).join('\n  ')}`];
  } finally {
    await t.done();
  }
}
