/**
 * A short file name in GBK is often valid UTF-8 too: `食品` is the bytes CA B3 C6 B7, which UTF-8
 * reads as `ʳƷ`. Read as UTF-8 only, such a name never matched a Chinese `pattern` (`食品_*.xml`),
 * and the export was passed over on every run without a word. A name is read in the decoding in
 * which it matches the pattern: UTF-8 first, as before, else GB18030; the log says when GB18030 was
 * the one.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { Checkpoint, SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { createLogger } from '../../core/logger.js';
import { exportXml, memoryState, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };
const NAME = '食品_20261105.xml';
const GBK_NAME = iconv.encode(NAME, 'gbk');

function folderWithGbkName(): string {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), GBK_NAME]), exportXml([{ ID: '1', MC: '甲店' }]));
  return dir;
}

function capture(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write: (chunk, _e, done) => {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  });
  return { lines, logger };
}

async function read(
  source: ReturnType<typeof openXmlFilesSource>,
  after: Checkpoint | null = null,
): Promise<{ rows: SourceRow[]; checkpoint: Checkpoint | null }> {
  const rows: SourceRow[] = [];
  let checkpoint: Checkpoint | null = null;
  for await (const page of source.read({ stream, after, pageSize: 10 })) {
    rows.push(...page.rows);
    checkpoint = page.checkpoint;
  }
  return { rows, checkpoint };
}

describe('xml-files: a GBK file name that is valid UTF-8 too', () => {
  it('is a real such name: its GBK bytes are UTF-8 for other characters', () => {
    expect(GBK_NAME.subarray(0, 4)).toEqual(Buffer.from([0xca, 0xb3, 0xc6, 0xb7]));
    expect(Buffer.from(GBK_NAME.toString('utf8'), 'utf8').equals(GBK_NAME)).toBe(true);
    expect(GBK_NAME.toString('utf8')).toBe('ʳƷ_20261105.xml');
  });

  it('is read under its GB18030 name when only that matches `pattern`, and the log says so', async () => {
    const dir = folderWithGbkName();
    const { lines, logger } = capture();
    const source = openXmlFilesSource('food', xmlConfig(dir, { pattern: '食品_*.xml' }), {
      state: memoryState(),
      logger,
    });
    try {
      const first = await read(source);
      expect(first.rows.map((r) => [r.key, r.values.MC])).toEqual([['1', '甲店']]);
      expect((await read(source, first.checkpoint)).rows).toEqual([]);
      expect(await source.count(stream)).toBe(1);
      expect((await source.fileRows(stream, NAME)).map((r) => r.key)).toEqual(['1']);
      const told = lines.filter((l) => l.decoding === 'gb18030');
      expect(told).toHaveLength(1);
      expect(told[0]?.file).toBe(NAME);
      expect(String(told[0]?.msg)).toContain('read as GB18030');
      expect(JSON.stringify(lines)).not.toContain('甲店');
    } finally {
      await source.close();
    }
  });

  it('keeps its UTF-8 name when that matches `pattern`, as before', async () => {
    const dir = folderWithGbkName();
    const source = openXmlFilesSource('food', xmlConfig(dir), { logger: capture().logger });
    try {
      const { rows, checkpoint } = await read(source);
      expect(rows.map((r) => r.key)).toEqual(['1']);
      expect(JSON.stringify(checkpoint)).toContain('ʳƷ_20261105.xml');
    } finally {
      await source.close();
    }
  });
});
