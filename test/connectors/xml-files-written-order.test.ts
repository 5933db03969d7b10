/**
 * Files are read in file-name order; an export named to sort before one written earlier loses its
 * records to the older export's on equal cursors or without a cursor. The modification times say
 * so: where a key's different records tie so, a run's read tells of it once, naming the two files,
 * both times and how many keys, never a value. Where the name order decides nothing (the cursor
 * tells the records apart, or the records tied are the same), nothing is told.
 */
import { rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReadOptions } from '../../connectors/source.js';
import type { ConnectorStatePort } from '../../connectors/state-port.js';
import { ExportFolder } from '../../connectors/xml-files/export-folder.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { WrittenOrderCheck } from '../../connectors/xml-files/written-order.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { createLogger } from '../../core/logger.js';
import {
  type ExportRecord,
  memoryState,
  RECORD_PATH,
  tempFolder,
  writeExport,
  xmlConfig,
} from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const T0 = new Date('2026-10-31T08:00:00.000Z');
const T1 = new Date('2026-11-01T08:00:00.000Z');
const T2 = new Date('2026-11-02T08:00:00.000Z');
const T3 = new Date('2026-11-03T08:00:00.000Z');

/**
 * A folder of exports, each written at the given time: by default record ID 1 in each, with the
 * file's MC (a different record in every file).
 */
async function folderOf(files: [string, Date, ExportRecord[]?][]): Promise<string> {
  const dir = tempFolder();
  folders.push(dir);
  for (const [name, at, records] of files) {
    await writeExport(dir, name, records ?? [{ ID: '1', MC: `秘密${name}` }]);
    await utimes(join(dir, name), at, at);
  }
  return dir;
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
  it('a file named to sort first but written later is told of once, with both names, times and keys', async () => {
    const dir = await folderOf([
      [
        'SPXK_9.xml',
        T3,
        [
          { ID: '1', MC: '秘密新' },
          { ID: '2', MC: '秘密新' },
          { ID: '3', MC: '秘密新' },
        ],
      ],
      [
        'SPXK_10.xml',
        T1,
        [
          { ID: '1', MC: '秘密旧' },
          { ID: '2', MC: '秘密旧' },
        ],
      ],
      ['SPXK_11.xml', T2, [{ ID: '3', MC: '秘密旧' }]],
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
      keys: 2,
      more: 1,
    });
    expect(w.msg).toBe(
      "xml-files food: file SPXK_9.xml was written at 2026-11-03T08:00:00.000Z, after file SPXK_10.xml (written at 2026-11-01T08:00:00.000Z), but its name sorts before it: files are read in file-name order, and on equal cursors, or without a cursor, 2 keys' records in SPXK_10.xml supersede different ones in SPXK_9.xml (and 1 more file whose records supersede different records of a file written later); name export files so that they sort in the order they are written",
    );
    // Names, times and counts only: no value of a record.
    expect(JSON.stringify(warnings)).not.toContain('秘密');
  });

  it('the newest of three exports of a key is the one named first: told against the file that wins', async () => {
    const dir = await folderOf([
      ['SPXK_9.xml', T3],
      ['SPXK_10.xml', T1],
      ['SPXK_11.xml', T2],
    ]);
    const warnings = await warningsOf(dir);
    expect(warnings.map((w) => [w.file, w.sortsBefore, w.keys, w.more])).toEqual([
      ['SPXK_9.xml', 'SPXK_11.xml', 1, 0],
    ]);
  });

  it('with a cursor, records the cursor tells apart are not told of, on a first run or a --full one', async () => {
    const cursor = { stream: { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' } };
    // A daily full export: key 2 unchanged in both (same cursor, same record), key 1 changed in
    // the export written later, which moved its cursor.
    const dir = await folderOf([
      [
        'SPXK_9.xml',
        T3,
        [
          { ID: '1', GXSJ: '2026-11-03 08:00:00', MC: '新' },
          { ID: '2', GXSJ: '2026-10-01 08:00:00', MC: '同' },
        ],
      ],
      [
        'SPXK_10.xml',
        T1,
        [
          { ID: '1', GXSJ: '2026-11-01 08:00:00', MC: '旧' },
          { ID: '2', GXSJ: '2026-10-01 08:00:00', MC: '同' },
        ],
      ],
    ]);
    const state = memoryState();
    expect(await warningsOf(dir, cursor, state)).toEqual([]);
    // `run --full`: from the start again, every file read.
    expect(await warningsOf(dir, cursor, state)).toEqual([]);
  });

  it('with a cursor, different records of equal cursors are told of', async () => {
    const dir = await folderOf([
      ['SPXK_9.xml', T3, [{ ID: '1', GXSJ: '2026-11-01', MC: '新' }]],
      ['SPXK_10.xml', T1, [{ ID: '1', GXSJ: '2026-11-01', MC: '旧' }]],
    ]);
    const warnings = await warningsOf(dir, { stream: { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' } });
    expect(warnings.map((w) => [w.file, w.sortsBefore, w.keys])).toEqual([['SPXK_9.xml', 'SPXK_10.xml', 1]]);
  });

  it('without a cursor, the same record in both files, or keys in one file only, are not told of', async () => {
    const dir = await folderOf([
      [
        'SPXK_9.xml',
        T3,
        [
          // An empty element reads as null, as the element left out of the other file does.
          { ID: '1', MC: '同', BZ: '' },
          { ID: '2', MC: '新' },
        ],
      ],
      [
        'SPXK_10.xml',
        T1,
        [
          { MC: '同', ID: '1' },
          { ID: '3', MC: '旧' },
        ],
      ],
    ]);
    expect(await warningsOf(dir)).toEqual([]);
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
    // A new export, named to sort first though written last of all, of a key no other file holds:
    // the name order decides nothing.
    await writeExport(dir, 'SPXK_0.xml', [{ ID: '2', MC: '乙' }]);
    await utimes(join(dir, 'SPXK_0.xml'), T3, T3);
    expect(await warningsOf(dir, { after: run.last }, state, run)).toEqual([]);
    // Written again with key 1 too: SPXK_2.xml, read by the earlier run, holds a different record
    // of it and wins by name.
    await writeExport(dir, 'SPXK_0.xml', [
      { ID: '1', MC: '甲' },
      { ID: '2', MC: '乙' },
    ]);
    await utimes(join(dir, 'SPXK_0.xml'), T3, T3);
    const warnings = await warningsOf(dir, { after: run.last }, state, run);
    expect(warnings.map((w) => [w.file, w.sortsBefore, w.keys, w.more])).toEqual([
      ['SPXK_0.xml', 'SPXK_2.xml', 1, 0],
    ]);
  });

  it('a new file named last but written before files read earlier, winning by name, is told of', async () => {
    const dir = await folderOf([
      ['SPXK_1.xml', T2],
      ['SPXK_2.xml', T1, [{ ID: '2', MC: '乙' }]],
    ]);
    const state = memoryState();
    const run = { last: null as Checkpoint | null };
    await warningsOf(dir, {}, state, run);
    // An old export copied in late with its time kept: its record of key 1 wins by name over the
    // one in SPXK_1.xml, read by the earlier run and written after it.
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '1', MC: '旧' }]);
    await utimes(join(dir, 'SPXK_3.xml'), T0, T0);
    const warnings = await warningsOf(dir, { after: run.last }, state, run);
    expect(warnings.map((w) => [w.file, w.sortsBefore, w.keys])).toEqual([['SPXK_1.xml', 'SPXK_3.xml', 1]]);
  });

  it('a file written again between the listing and its read is still compared', async () => {
    // Listed in order; by the times the read saw, SPXK_1.xml was written last.
    const dir = await folderOf([
      ['SPXK_1.xml', T1],
      ['SPXK_2.xml', T2],
    ]);
    const folder = new ExportFolder(
      'food',
      {
        folder: dir,
        pattern: '*.xml',
        recordPath: RECORD_PATH,
        encoding: 'auto',
        maxFileBytes: 1 << 20,
        trim: 'all',
      },
      () => {},
    );
    const check = await WrittenOrderCheck.open(folder, ['SPXK_1.xml', 'SPXK_2.xml']);
    const written = [
      { name: 'SPXK_1.xml', mtimeMs: T3.getTime() },
      { name: 'SPXK_2.xml', mtimeMs: T2.getTime() },
    ];
    const found = await check.result(
      folder,
      { table: RECORD_PATH, key: 'ID' },
      written,
      new Set(['SPXK_1.xml', 'SPXK_2.xml']),
    );
    expect(found && [found.namedFirst.name, found.writtenFirst.name, found.keys]).toEqual([
      'SPXK_1.xml',
      'SPXK_2.xml',
      1,
    ]);
  });
});
