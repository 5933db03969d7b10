/**
 * An export tool that leaves empty elements out (JAXB's default) writes files where no record
 * carries an element the config names, when no licence of that export had a value for it. Such a
 * file carries nothing like the name: it is read, the element as null, with one warning per file;
 * the files after it are not held back. A file carrying a close match of the name (another case, a
 * slip of one or two letters, the name with a part added or left out) is still refused, naming
 * both: that is a rename or a misspelling. The key stays required.
 */
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow, StreamSpec } from '../../connectors/source.js';
import { closeElement } from '../../connectors/xml-files/carried.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { createLogger } from '../../core/logger.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempFolder();
  folders.push(dir);
  return dir;
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'warn', destination: stream }) };
}

const stream: StreamSpec = { table: RECORD_PATH, key: 'ID', cursor: 'UpdTime' };

async function readAll(
  source: ReturnType<typeof openXmlFilesSource>,
  after: Checkpoint | null,
  spec: StreamSpec = stream,
): Promise<{ rows: SourceRow[]; checkpoint: Checkpoint | null; error: unknown }> {
  const rows: SourceRow[] = [];
  let checkpoint = after;
  try {
    for await (const page of source.read({ stream: spec, after, pageSize: 10 })) {
      rows.push(...page.rows);
      checkpoint = page.checkpoint;
    }
  } catch (error) {
    return { rows, checkpoint, error };
  }
  return { rows, checkpoint, error: null };
}

describe('closeElement', () => {
  it('case, a slip of letters growing with the length, and a part added or left out', () => {
    expect(closeElement('UpdTime', 'updtime')).toBe(true);
    expect(closeElement('UpdTime', 'UpdateTime')).toBe(true);
    expect(closeElement('GXSJ', 'GXJS')).toBe(true);
    expect(closeElement('GXSJ', 'T_GXSJ')).toBe(true);
    expect(closeElement('GXSJ', 'GXSJ_NEW')).toBe(true);
    expect(closeElement('UpdTime', 'UpdTme')).toBe(true);
    expect(closeElement('UpdateTime', 'UpdataTiem')).toBe(true);
    // Unrelated fields of a legacy schema.
    expect(closeElement('GXSJ', 'GXRQ')).toBe(false);
    expect(closeElement('JYMC', 'MC')).toBe(false);
    expect(closeElement('ZT', 'ZH')).toBe(false);
    expect(closeElement('UpdTime', 'CreateDate')).toBe(false);
    expect(closeElement('JYMC', 'FRDB')).toBe(false);
  });
});

describe('xml-files: an element no record of a file carries, with nothing like it in the file', () => {
  it('a cursor is read as null, the file warned of once, and the files after it are read', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', ZT: '1', UpdTime: '2026-11-01 08:00:00' }]);
    // Two new licences, never updated: the tool left their empty update time out.
    await writeExport(dir, 'SPXK_2.xml', [
      { ID: '2', ZT: '1' },
      { ID: '3', ZT: '1' },
    ]);
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '4', ZT: '1', UpdTime: '2026-11-03 08:00:00' }]);
    const { lines, logger } = capture();
    const source = openXmlFilesSource('food', xmlConfig(dir), { logger });
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(rows.map((r) => [r.key, r.values.UpdTime])).toEqual([
        ['1', '2026-11-01 08:00:00'],
        ['2', null],
        ['3', null],
        ['4', '2026-11-03 08:00:00'],
      ]);
      expect(rows.every((r) => r.problems === undefined)).toBe(true);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 40,
        source: 'food',
        file: 'SPXK_2.xml',
        records: 2,
        absent: ['cursor UpdTime'],
      });
      expect(String(lines[0]?.msg)).toContain('cursor field `UpdTime`');
      // Preview reads it the same way.
      const preview = await source.fileRows(stream, 'SPXK_2.xml');
      expect(preview.map((r) => [r.key, r.values.UpdTime])).toEqual([
        ['2', null],
        ['3', null],
      ]);
    } finally {
      await source.close();
    }
  });

  it('a record without cursor is older than any with one: a later file without cursor does not undo an update', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', ZT: '0', UpdTime: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '1', ZT: '1' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { logger: capture().logger });
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(rows.map((r) => [r.key, r.values.ZT])).toEqual([['1', '0']]);
    } finally {
      await source.close();
    }
  });

  it('a declared field is read as null in every record, the file warned of, and a cursor no file carries too', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', MC: '甲' }]);
    const { lines, logger } = capture();
    const source = openXmlFilesSource('food', xmlConfig(dir, { fields: ['ID', 'MC', 'JYXM', 'UpdTime'] }), {
      logger,
    });
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(rows.map((r) => r.values)).toEqual([{ ID: '1', MC: '甲', JYXM: null, UpdTime: null }]);
      expect(lines.map((l) => l.absent)).toEqual([['cursor UpdTime', 'declared JYXM']]);
      // A log line names elements, never values.
      expect(JSON.stringify(lines)).not.toContain('甲');
    } finally {
      await source.close();
    }
  });

  it('a cursor that no file of the folder carries, with nothing like it, is read as null', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', ZT: '1' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { logger: capture().logger });
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(rows.map((r) => [r.key, r.values.UpdTime])).toEqual([['1', null]]);
      expect(await source.count(stream)).toBe(1);
    } finally {
      await source.close();
    }
  });
});

describe('xml-files: a close match of the missing element in the file', () => {
  it('another case or a part added refuses the file, naming the element and the match', async () => {
    for (const carried of ['updtime', 'UpdateTime', 'UpdTme']) {
      const dir = folder();
      await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', [carried]: '2026-11-01 08:00:00' }]);
      await writeExport(dir, 'SPXK_2.xml', [{ ID: '2', UpdTime: '2026-11-02 08:00:00' }]);
      const source = openXmlFilesSource('food', xmlConfig(dir), { logger: capture().logger });
      try {
        const { rows, error } = await readAll(source, null);
        expect(rows).toEqual([]);
        expect(error).toMatchObject({ code: 'LB_SOURCE_SCHEMA', context: { file: 'SPXK_1.xml' } });
        expect((error as Error).message).toContain(`cursor field \`UpdTime\` (did you mean \`${carried}\`?)`);
      } finally {
        await source.close();
      }
    }
  });

  it('a declared field with a close match refuses the file', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', JYMC_NEW: '甲' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir, { fields: ['ID', 'JYMC'] }));
    try {
      const { error } = await readAll(source, null, { table: RECORD_PATH, key: 'ID' });
      expect((error as Error).message).toMatch(
        /file SPXK_1\.xml: declared field `JYMC` \(did you mean `JYMC_NEW`\?\)/,
      );
      expect((error as Error).message).not.toContain('甲');
    } finally {
      await source.close();
    }
  });

  it('the key is required, close match or not', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ XKZBH: '1', UpdTime: '2026-11-01 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const { rows, error } = await readAll(source, null);
      expect(rows).toEqual([]);
      expect((error as Error).message).toMatch(
        /file SPXK_1\.xml: key field `ID` .*not found.*cannot be stored/,
      );
    } finally {
      await source.close();
    }
  });
});
