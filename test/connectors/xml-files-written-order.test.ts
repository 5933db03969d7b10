/**
 * Files are read in file-name order; an export named to sort before one written earlier loses its
 * records to the older export's on equal cursors or without a cursor. The modification times say
 * so: a run's read tells of it once, naming the two files and both times, never a value.
 */
import { rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReadOptions } from '../../connectors/source.js';
import type { ConnectorStatePort } from '../../connectors/state-port.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { createLogger } from '../../core/logger.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const T1 = new Date('2026-11-01T08:00:00.000Z');
const T2 = new Date('2026-11-02T08:00:00.000Z');
const T3 = new Date('2026-11-03T08:00:00.000Z');

/** A folder of exports, each written at the given time: record ID 1 in each, with the file's MC. */
async function folderOf(files: [string, Date][]): Promise<string> {
  const dir = tempFolder();
  folders.push(dir);
  for (const [name, at] of files) {
    await writeExport(dir, name, [{ ID: '1', MC: `秘密${name}` }]);
    await utimes(join(dir, name), at, at);
  }
  return dir;
}

/** The connector state store, in memory. */
function memoryState(): ConnectorStatePort {
  const entries = new Map<string, Map<string, string>>();
  return {
    async stateEntries(source, scope) {
      return [...(entries.get(`${source}\u0000${scope}`) ?? new Map<string, string>())].map(
        ([key, value]) => ({
          key,
          value,
        }),
      );
    },
    async putStateEntry(source, scope, key, value) {
      const id = `${source}\u0000${scope}`;
      if (!entries.has(id)) entries.set(id, new Map());
      entries.get(id)?.set(key, value);
    },
  };
}

/** The read's warnings of files written out of order; `read.last` gets its last checkpoint. */
async function warningsOf(
  dir: string,
  options: Partial<ReadOptions> = {},
  state?: ConnectorStatePort,
  read?: { last: Checkpoint | null },
): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const source = openXmlFilesSource('food', xmlConfig(dir), {
    logger: createLogger({ level: 'warn', destination }),
    ...(state ? { state } : {}),
  });
  try {
    const reading = source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 1,
      ...options,
    });
    for await (const page of reading) if (read) read.last = page.checkpoint;
  } finally {
    await source.close();
  }
  return lines.filter((l) => String(l.msg).includes('sorts before'));
}

describe('xml-files: files written out of file-name order', () => {
  it('a file named to sort first but written later is told of once, with both names and times', async () => {
    const dir = await folderOf([
      ['SPXK_9.xml', T3],
      ['SPXK_10.xml', T1],
      ['SPXK_11.xml', T2],
    ]);
    const warnings = await warningsOf(dir);
    expect(warnings).toHaveLength(1);
    const [w] = warnings as [Record<string, unknown>];
    expect(w).toMatchObject({
      source: 'food',
      file: 'SPXK_9.xml',
      written: '2026-11-03T08:00:00.000Z',
      sortsBefore: 'SPXK_10.xml',
      sortsBeforeWritten: '2026-11-01T08:00:00.000Z',
      more: 1,
    });
    expect(w.msg).toBe(
      "xml-files food: file SPXK_9.xml was written at 2026-11-03T08:00:00.000Z, after file SPXK_10.xml (written at 2026-11-01T08:00:00.000Z), but its name sorts before it: files are read in file-name order, and on equal cursors, or without a cursor, a key's record in SPXK_10.xml supersedes the one in SPXK_9.xml (and 1 more file written before a file named to sort before it); name export files so that they sort in the order they are written",
    );
    // Names and times only: no value of a record.
    expect(JSON.stringify(warnings)).not.toContain('秘密');
  });

  it('files written in the order their names sort are not told of', async () => {
    const dir = await folderOf([
      ['SPXK_9.xml', T1],
      ['SPXK_10.xml', T2],
      ['SPXK_11.xml', T2],
    ]);
    expect(await warningsOf(dir)).toEqual([]);
  });

  it('a check, which reads the folder but is no run, does not tell of them', async () => {
    const dir = await folderOf([
      ['SPXK_1.xml', T2],
      ['SPXK_2.xml', T1],
    ]);
    expect(await warningsOf(dir, { record: false })).toEqual([]);
  });

  it('files read by an earlier run are not told of again; a new file out of order is', async () => {
    const dir = await folderOf([
      ['SPXK_1.xml', T2],
      ['SPXK_2.xml', T1],
    ]);
    const state = memoryState();
    const run = { last: null as Checkpoint | null };
    expect(await warningsOf(dir, {}, state, run)).toHaveLength(1);
    // The next run resumes: both files were read and recorded, nothing new to tell.
    expect(await warningsOf(dir, { after: run.last }, state, run)).toEqual([]);
    // A new export, named to sort first though written last of all.
    await writeExport(dir, 'SPXK_0.xml', [{ ID: '2', MC: '乙' }]);
    await utimes(join(dir, 'SPXK_0.xml'), T3, T3);
    const warnings = await warningsOf(dir, { after: run.last }, state, run);
    expect(warnings.map((w) => [w.file, w.sortsBefore, w.more])).toEqual([['SPXK_0.xml', 'SPXK_1.xml', 1]]);
  });
});
