/**
 * Latin-1 text in capitals: `Ç` `Ã` `Õ` are 0xC7 0xC3 0xD5, and two of them side by side
 * (`INFORMAÇÃO`, `AÇÕES`) are a GB 2312 first-level hanzi each (`敲`, `钦`). A file of such words
 * declaring ISO-8859-1 was taken for GBK text under a one-byte declaration, and every accented
 * value was quarantined, though the source's `encoding` has no Latin-1 to set. The pairs are two
 * accented capitals between two ASCII capitals, inside a word in capitals; a hanzi alone between
 * two letters in Chinese text (`A座B`, a building code) is mostly other bytes, and still counts.
 * At a word's end, French `AGRÉÉ` (`ÉÉ`, GBK `缮`, which no Latin capital precedes in Chinese) is
 * no common character either; `VIP室`, `AB型` ending a word still are.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(bytes: Buffer): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), bytes);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 100,
    }))
      rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

const file = (
  values: readonly string[],
  encoding: 'latin1' | 'gbk',
  declaration = '<?xml version="1.0" encoding="ISO-8859-1"?>',
) =>
  iconv.encode(
    `${declaration}<Root><Records>${values
      .map((v, i) => `<Record><ID>${i + 1}</ID><XM>${v}</XM></Record>`)
      .join('')}</Records></Root>`,
    encoding,
  );

describe('xml-files: Latin-1 capitals declared ISO-8859-1', () => {
  it('a file of only `ÇÃO` and `ÇÕES` words reads as written', async () => {
    const names = ['INFORMAÇÃO', 'AÇÕES E OBRIGAÇÕES', 'NAÇÃO', 'CONCEIÇÃO LTDA'];
    const rows = await rowsOf(file(names, 'latin1'));
    expect(rows.map((r) => r.values.XM)).toEqual(names);
    expect(rows.some((r) => r.problems)).toBe(false);
  });

  it('GBK bytes with a hanzi between Latin letters in some values are still doubted', async () => {
    const names = ['青岛西海岸新区市场监督管理局', 'A座B区', '张三KTV店', '李四'];
    const rows = await rowsOf(file(names, 'gbk'));
    expect(rows.map((r) => r.values.XM)).toEqual([null, null, null, null]);
    expect(rows[0]?.problems?.[0]?.message).toMatch(/read as gb18030 text/);
  });

  it('a GBK file whose Chinese is mostly building and room codes is doubted, not read as Latin-1', async () => {
    // 27 % to 100 % of these files' high bytes are a hanzi alone between two letters (`座` is
    // 0xD7 0xF9, `区` 0xC7 0xF8): counted as no Chinese text, the files read as `×ù`, `Çø`.
    for (const names of [
      ['1号楼A座B单元', 'A栋B户', '2号楼', 'C区D栋'],
      ['A座B区', 'C栋D座', 'B区A栋'],
      ['a座b', 'T恤XL', 'A区B1'],
    ]) {
      const rows = await rowsOf(file(names, 'gbk'));
      expect(rows.map((r) => r.values.XM)).toEqual(names.map(() => null));
      expect(rows[0]?.problems?.[0]?.message).toMatch(/read as gb18030 text/);
    }
  });

  it("`AGRÉÉ` ending a word, before a space or the element's end, reads as written", async () => {
    const names = ['MANDATAIRE AGRÉÉ', 'PRODUIT AGRÉÉ 2024', 'CRÉÉ'];
    const rows = await rowsOf(file(names, 'latin1'));
    expect(rows.map((r) => r.values.XM)).toEqual(names);
    expect(rows.some((r) => r.problems)).toBe(false);
  });

  it('GBK whose hanzi end words after Latin capitals (`VIP室`, `AB型`), or hold `缮`, is still doubted', async () => {
    for (const names of [
      ['VIP室', 'CT室', 'AB型', 'B期'],
      ['房屋修缮', '修缮工程', 'A修缮'],
      // `缮` after a Latin capital but inside a word goes on as Chinese text: it ends no word.
      ['A缮写', 'B缮写', 'C缮写室'],
    ]) {
      const rows = await rowsOf(file(names, 'gbk'));
      expect(rows.map((r) => r.values.XM)).toEqual(names.map(() => null));
      expect(rows[0]?.problems?.[0]?.message).toMatch(/read as gb18030 text/);
    }
  });

  it("without a declaration the file is UTF-8 (XML's default): Latin-1 `AGRÉÉ` is invalid there and doubted", async () => {
    const rows = await rowsOf(file(['MANDATAIRE AGRÉÉ', 'CRÉÉ'], 'latin1', '<?xml version="1.0"?>'));
    expect(rows.map((r) => r.values.XM)).toEqual([null, null]);
    expect(rows[0]?.problems?.[0]?.message).toMatch(/invalid in utf-8/);
  });
});
