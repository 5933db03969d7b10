/**
 * What an engineer reads when an export is broken or unusual: the file, line and column where a
 * truncated file ends, the documented code, decode reasons naming file, record and encoding;
 * discovery explaining keys that repeat across files; and the order rule that decides which record
 * of a key is the latest.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import {
  compareCursorValues,
  compareEncodedOrders,
  encodeRecordOrder,
} from '../../connectors/xml-files/order.js';
import { exportXml, RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});
function folder(): string {
  const f = tempFolder();
  folders.push(f);
  return f;
}

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };

async function rowsOf(dir: string, overrides = {}): Promise<SourceRow[]> {
  const source = openXmlFilesSource('transport', xmlConfig(dir, overrides));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({ stream, after: null, pageSize: 100 })) rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ID: String(i + 1),
    MC: `名称${i + 1}`,
    GXSJ: '2026-11-05 08:00:00',
  }));

describe('xml-files: a truncated export', () => {
  it('is reported where it ends, with LB_SOURCE_SCHEMA and the elements left open', async () => {
    const dir = folder();
    const text = exportXml(records(50));
    // Cut between two records, as a copy interrupted mid-transfer leaves it.
    const cut = text.slice(0, text.indexOf('<Record><ID>41<'));
    writeFileSync(join(dir, 'YSXK_20261105.xml'), cut);
    const lines = cut.replace(/\s+$/, '').split('\n');
    const error = await rowsOf(dir).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe('LB_SOURCE_SCHEMA');
    expect(error?.message).toContain('file YSXK_20261105.xml');
    expect(error?.message).toContain(`line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`);
    expect(error?.message).toContain('<Root>, <Records>');
    expect(error?.message).toContain('truncated');
    expect(error?.message).not.toContain('line 1, column 1');
  });

  it('cut inside an element is reported at that line, not line 1', async () => {
    const dir = folder();
    const text = exportXml(records(50));
    const cut = text.slice(0, text.indexOf('<Record><ID>41<') + 12);
    writeFileSync(join(dir, 'YSXK_20261106.xml'), cut);
    const error = await rowsOf(dir).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe('LB_SOURCE_SCHEMA');
    expect(error?.message).toMatch(new RegExp(`line ${cut.split('\n').length}, column \\d+`));
  });
});

describe('xml-files: row problems name the file, record and encoding', () => {
  it('a byte invalid in the file encoding', async () => {
    const dir = folder();
    const good = iconv.encode(exportXml([{ ID: '1', MC: '甲', GXSJ: '2026-11-05' }], 'GBK'), 'gbk');
    // 0x80 alone is not a GB18030 lead byte followed by a valid trail: an invalid sequence.
    const bad = Buffer.from(good.toString('latin1').replace('<MC>', '<MC>\u0080\u00ff'), 'latin1');
    writeFileSync(join(dir, 'a.xml'), bad);
    const [row] = await rowsOf(dir);
    const [problem] = row?.problems ?? [];
    expect(problem?.code).toBe('LB_SOURCE_DECODE');
    expect(problem?.message).toContain('record 0 in file a.xml');
    expect(problem?.message).toContain('gb18030');
  });

  it('an entity that is not expanded', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'b.xml'),
      '<?xml version="1.0"?>\n<Root><Records><Record><ID>1</ID><MC>&secret;</MC><GXSJ>2026</GXSJ></Record></Records></Root>\n',
    );
    const [row] = await rowsOf(dir);
    expect(row?.problems?.[0]?.code).toBe('LB_SOURCE_ENTITY');
    expect(row?.problems?.[0]?.message).toContain('record 0 in file b.xml');
  });

  it('a character reference naming no character, or without digits, refuses the value and says so', async () => {
    for (const ref of ['&#x;', '&#;', '&#0;', '&#x0;', '&#xD800;', '&#x110000;']) {
      const dir = folder();
      writeFileSync(
        join(dir, 'c.xml'),
        `<?xml version="1.0"?>\n<Root><Records><Record><ID>1</ID><MC>甲${ref}</MC><DM>&#x4E2D;</DM></Record></Records></Root>\n`,
      );
      const [row] = await rowsOf(dir);
      expect(row?.values.MC).toBeNull();
      expect(row?.problems).toEqual([expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_ENTITY' })]);
      // Named as the character reference it is, never as an entity beside the references expanded.
      expect(row?.problems?.[0]?.message).toMatch(/record 0 in file c\.xml holds a character reference/);
      expect(row?.problems?.[0]?.message).not.toContain('not expanded');
      expect(row?.values.DM).toBe('中');
    }
  });

  it('a character reference to a character XML 1.0 forbids refuses the value, naming the reference', async () => {
    const forbidden = ['&#1;', '&#8;', '&#xB;', '&#12;', '&#xE;', '&#x1F;', '&#xFFFE;', '&#65535;'];
    for (const ref of forbidden) {
      const dir = folder();
      writeFileSync(
        join(dir, 'c.xml'),
        `<?xml version="1.0"?>\n<Root><Records><Record><ID>1</ID><MC>甲乙${ref}</MC><DM>&#x4E2D;</DM></Record></Records></Root>\n`,
      );
      const [row] = await rowsOf(dir);
      expect(row?.values.MC, ref).toBeNull();
      expect(row?.problems).toEqual([expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_ENTITY' })]);
      const message = row?.problems?.[0]?.message ?? '';
      expect(message).toContain(`record 0 in file c.xml holds a character reference \`${ref}\``);
      expect(message).not.toContain('甲乙');
      expect(row?.values.DM).toBe('中');
    }
  });

  it('a long character reference is named cut short', async () => {
    const dir = folder();
    const ref = `&#${'9'.repeat(40)};`;
    writeFileSync(
      join(dir, 'c.xml'),
      `<?xml version="1.0"?>\n<Root><Records><Record><ID>1</ID><MC>${ref}</MC></Record></Records></Root>\n`,
    );
    const [row] = await rowsOf(dir);
    expect(row?.problems?.[0]?.message).toContain(
      'holds a character reference `&#9999999999…;` to no character',
    );
  });

  it('tab, line feed, carriage return and the other characters XML allows still decode', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'c.xml'),
      '<?xml version="1.0"?>\n<Root><Records><Record><ID>1</ID><MC>a&#9;b&#xA;c&#13;d&#x7F;&#x20;&#xFFFD;&#x10000;</MC></Record></Records></Root>\n',
    );
    const [row] = await rowsOf(dir, { trim: 'none' });
    expect(row?.problems ?? []).toEqual([]);
    expect(row?.values.MC).toBe('a\tb\nc\rd\u007F \uFFFD\u{10000}');
  });
});

describe('xml-files discovery: keys that repeat across files', () => {
  it('suggests the key, says repeats are normal, and names the cursor that orders them', async () => {
    const dir = folder();
    await writeExport(dir, 'YSXK_1.xml', [
      { ID: '1', MC: '甲', GXSJ: '2026-11-01 08:00:00' },
      { ID: '2', MC: '乙', GXSJ: '2026-11-01 08:00:00' },
    ]);
    await writeExport(dir, 'YSXK_2.xml', [{ ID: '1', MC: '甲改', GXSJ: '2026-11-02 08:00:00' }]);
    const source = openXmlFilesSource('transport', xmlConfig(dir));
    const [table] = await source.discover();
    await source.close();
    expect(table?.candidateKeys[0]).toBe('ID');
    expect(table?.candidateCursors[0]).toBe('GXSJ');
    expect(table?.notes?.join('\n')).toContain('ID repeats across files but never within one');
    expect(table?.notes?.join('\n')).toContain('cursor: GXSJ');
  });

  it('a field repeated inside one file is no key candidate', async () => {
    const dir = folder();
    await writeExport(dir, 'YSXK_1.xml', [
      { ID: '1', MC: '甲' },
      { ID: '1', MC: '乙' },
    ]);
    const source = openXmlFilesSource('transport', xmlConfig(dir));
    const [table] = await source.discover();
    await source.close();
    expect(table?.candidateKeys).not.toContain('ID');
  });
});

describe('xml-files: the latest record of a key', () => {
  it('orders cursor values by what they mean', () => {
    expect(compareCursorValues(null, '2026-01-01')).toBeLessThan(0);
    expect(compareCursorValues('9', '10')).toBeLessThan(0);
    expect(compareCursorValues('99999999999999999998', '99999999999999999999')).toBeLessThan(0);
    expect(compareCursorValues('2.5', '10')).toBeLessThan(0);
    expect(compareCursorValues('2026/11/5 9:05', '2026-11-05 10:00:00')).toBeLessThan(0);
    expect(compareCursorValues('2026-11-05T10:00:00.5', '2026-11-05 10:00:00.49')).toBeGreaterThan(0);
    expect(compareCursorValues('2026-11-05 10:00', '2026-11-05 10:00:00')).toBe(0);
    expect(compareCursorValues('b', 'a')).toBeGreaterThan(0);
  });

  it('breaks cursor ties by file name, then position', () => {
    const o = (cursor: string | null, file: string, index: number) =>
      encodeRecordOrder({ cursor, file, index });
    expect(compareEncodedOrders(o('2026-11-05', 'b.xml', 0), o('2026-11-04', 'c.xml', 9))).toBeGreaterThan(0);
    expect(compareEncodedOrders(o('2026-11-05', 'a.xml', 5), o('2026-11-05', 'b.xml', 0))).toBeLessThan(0);
    expect(compareEncodedOrders(o(null, 'a.xml', 5), o(null, 'a.xml', 6))).toBeLessThan(0);
    // Text another source kind wrote never makes a record stale.
    expect(compareEncodedOrders('not an order', o(null, 'a.xml', 0))).toBe(0);
  });

  it('a read gives each key once, as its newest record wherever it sits', async () => {
    const dir = folder();
    await writeExport(dir, 'YSXK_20261101.xml', [
      { ID: '1', MC: 'v1', GXSJ: '2026-11-01 08:00:00' },
      { ID: '2', MC: 'v1', GXSJ: '2026-11-01 08:00:00' },
    ]);
    // A late file (sorts first) holding the newest record of key 1 and an old one of key 2.
    await writeExport(dir, 'YSXK_20261031_late.xml', [
      { ID: '1', MC: 'late-newest', GXSJ: '2026-11-09 08:00:00' },
      { ID: '2', MC: 'late-oldest', GXSJ: '2026-10-31 08:00:00' },
    ]);
    await writeExport(dir, 'YSXK_20261102.xml', [{ ID: '2', MC: 'v2', GXSJ: '2026-11-02 08:00:00' }]);
    const rows = await rowsOf(dir);
    expect(rows.map((r) => [r.key, r.values.MC])).toEqual([
      ['1', 'late-newest'],
      ['2', 'v2'],
    ]);
  });
});

describe('xml-files: odd file names', () => {
  it('reads a file whose name holds a newline instead of skipping it', async () => {
    const dir = folder();
    await writeExport(dir, 'YSXK_1\n.xml', [{ ID: '1', MC: '甲', GXSJ: '2026-11-01' }]);
    await writeExport(dir, 'YSXK_2.xml', [{ ID: '2', MC: '乙', GXSJ: '2026-11-01' }]);
    const rows = await rowsOf(dir, { pattern: 'YSXK_*.xml' });
    expect(rows.map((r) => r.key)).toEqual(['1', '2']);
  });
});
