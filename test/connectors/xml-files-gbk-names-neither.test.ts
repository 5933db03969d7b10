/**
 * A file name whose bytes are neither UTF-8 nor GB18030 stops the read when `pattern` matches it,
 * naming the folder: an export is never passed over without a word. A GBK name cut inside a
 * character, or with a byte no encoding has, reads as GBK up to that byte: with a Chinese pattern
 * (`食品_*.xml`) only its GB18030 reading can match, and matched against its UTF-8 reading alone
 * (`ʳƷ_�.xml`) it was skipped on every run.
 */
import { rmSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { exportXml, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };
/** `食品_` in GBK, a byte that is neither UTF-8 nor GB18030, then `.xml`. */
const NEITHER = Buffer.concat([iconv.encode('食品_', 'gbk'), Buffer.from([0xff]), Buffer.from('.xml')]);

function folderWith(name: Buffer): string {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), exportXml([{ ID: '1', MC: '甲店' }]));
  return dir;
}

async function readAll(pattern: string, dir: string): Promise<{ rows: SourceRow[]; error: unknown }> {
  const source = openXmlFilesSource('food', xmlConfig(dir, { pattern }));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({ stream, after: null, pageSize: 10 })) rows.push(...page.rows);
    return { rows, error: null };
  } catch (error) {
    return { rows, error };
  } finally {
    await source.close();
  }
}

describe('xml-files: a file name that is neither UTF-8 nor GB18030', () => {
  it('is such a name', () => {
    expect(Buffer.from(NEITHER.toString('utf8'), 'utf8').equals(NEITHER)).toBe(false);
    expect(iconv.encode(iconv.decode(NEITHER, 'gb18030'), 'gb18030').equals(NEITHER)).toBe(false);
  });

  it('stops the read when only its GB18030 reading matches `pattern`, naming the folder and that reading', async () => {
    const dir = folderWith(NEITHER);
    const { rows, error } = await readAll('食品_*.xml', dir);
    expect(rows).toEqual([]);
    expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
    expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain('食品_');
    expect((error as Error).message).not.toContain('甲店');
  });

  it('stops it when its UTF-8 reading matches, as before', async () => {
    const { error } = await readAll('*.xml', folderWith(NEITHER));
    expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
  });

  it('passes it over when no reading of it matches `pattern`: it is no export', async () => {
    expect(await readAll('SPXK_*.xml', folderWith(NEITHER))).toEqual({ rows: [], error: null });
  });
});
