/**
 * An export declaring a multi-byte encoding other than GB's (Big5, Shift_JIS, EUC-KR: a template's
 * header copied from a Taiwanese, Japanese or Korean tool) over bytes written in UTF-8 or GB18030.
 * Only GB and one-byte declarations had their bytes checked: UTF-8 Chinese under `Big5` or
 * `EUC-KR` read as other characters (`姜维` as `憪𦦵輕`, `张三` as `凉졽툒`) with no value
 * quarantined, and under `Shift_JIS`, taken for a one-byte encoding, it was doubted as "a one-byte
 * encoding reads any bytes as some characters". Every value holding non-ASCII text is now
 * quarantined, naming the encoding the bytes read in; a file really in the declared encoding reads
 * as written. Bytes made by iconv-lite.
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

async function rows(bytes: Buffer): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'E001.xml'), bytes);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const out: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    }))
      out.push(...page.rows);
  } finally {
    await source.close();
  }
  return out;
}

const text = (declared: string, names: readonly string[]) =>
  `<?xml version="1.0" encoding="${declared}"?>\n<Root><Records>\n${names
    .map((name, i) => `<Record><ID>${i + 1}</ID><MC>${name}</MC><DM>00${i + 1}</DM></Record>\n`)
    .join('')}</Records></Root>\n`;

const shown = (read: SourceRow[]) =>
  read.map((r) => [r.key, r.values.MC, r.values.DM, (r.problems ?? []).map((p) => p.code)]);

const messages = (read: SourceRow[]) => read.flatMap((r) => (r.problems ?? []).map((p) => p.message));

const quarantined = (names: readonly string[]) =>
  names.map((_, i) => [String(i + 1), null, `00${i + 1}`, ['LB_SOURCE_DECODE']]);

const DECLARED = ['Big5', 'Shift_JIS', 'EUC-KR'] as const;

describe('xml-files: a multi-byte declaration over UTF-8 bytes', () => {
  // Each reads cleanly in Big5, Shift_JIS and EUC-KR: no byte is invalid there.
  const CHINESE = ['姜维', '许可', '奶茶便利'];

  it.each(DECLARED)('UTF-8 Chinese declaring %s: no value is read as other characters', async (declared) => {
    const read = await rows(Buffer.from(text(declared, CHINESE), 'utf8'));
    expect(shown(read)).toEqual(quarantined(CHINESE));
    for (const m of messages(read)) {
      expect(m).toContain(
        `read as ${declared.toLowerCase()} as its declaration says, but its bytes read as utf-8 text`,
      );
      expect(m).not.toContain('one-byte');
    }
  });

  it.each(['Big5', 'EUC-KR'])('UTF-8 Korean declaring %s is doubted too', async (declared) => {
    const read = await rows(Buffer.from(text(declared, ['광주', '경기']), 'utf8'));
    expect(shown(read)).toEqual(quarantined(['광주', '경기']));
  });

  it('UTF-8 Latin letters declaring Big5 are doubted', async () => {
    const read = await rows(Buffer.from(text('Big5', ['José Müller']), 'utf8'));
    expect(shown(read)).toEqual(quarantined(['José Müller']));
  });
});

describe('xml-files: a multi-byte declaration over GB18030 bytes', () => {
  // Some of these GBK bytes are invalid in each declared encoding (人 C8CB has no Big5 character),
  // the others read as other characters there.
  const GB = ['青岛西海岸新区市场监督管理局', '张三', '食品经营许可证', '王五商店', '个人独资企业'];

  it.each(DECLARED)('GBK declaring %s: no value is read as other characters', async (declared) => {
    const bytes = iconv.encode(text(declared, GB), 'gbk');
    expect(iconv.decode(bytes, declared)).toContain('\uFFFD');
    const read = await rows(bytes);
    expect(shown(read)).toEqual(quarantined(GB));
    // A value holding bytes invalid in the declared encoding says so; every other one is doubted.
    const doubted = `read as ${declared.toLowerCase()} as its declaration says, but its bytes read as gb18030 text`;
    const invalid = `holds bytes that are invalid in ${declared.toLowerCase()}`;
    const said = messages(read);
    expect(said.filter((m) => m.includes(doubted)).length).toBeGreaterThan(0);
    expect(said.filter((m) => !m.includes(doubted) && !m.includes(invalid))).toEqual([]);
  });
});

describe('xml-files: a multi-byte declaration over its own bytes', () => {
  it.each([
    ['Big5', 'big5', ['臺北市政府衛生局', '營業許可證', '王小明']],
    ['Shift_JIS', 'shift_jis', ['株式会社さくら商事', 'ｶﾌﾞｼｷｶﾞｲｼｬ ｻｸﾗ', '山田太郎']],
    ['EUC-KR', 'euc-kr', ['서울특별시 강남구', '식품 영업 허가증', '김철수']],
  ] as const)('a %s file reads as written', async (declared, encoding, names) => {
    const read = await rows(iconv.encode(text(declared, names), encoding));
    expect(shown(read)).toEqual(names.map((name, i) => [String(i + 1), name, `00${i + 1}`, []]));
  });

  // Korean in EUC-KR is GB 2312 hanzi's bytes too (서울 reads 辑匡 in GB18030): a value cut
  // mid-character is invalid in both, and quarantines that value alone.
  it('an EUC-KR file with one value cut mid-character quarantines that value alone', async () => {
    const names = ['서울특별시 강남구', '식품 영업 허가증', '김철수'];
    const bytes = iconv.encode(text('EUC-KR', names), 'euc-kr');
    const cut = iconv.encode('김철수', 'euc-kr');
    const at = bytes.indexOf(cut);
    const read = await rows(
      Buffer.concat([bytes.subarray(0, at + cut.length - 1), bytes.subarray(at + cut.length)]),
    );
    expect(shown(read)).toEqual([
      ['1', names[0], '001', []],
      ['2', names[1], '002', []],
      ['3', null, '003', ['LB_SOURCE_DECODE']],
    ]);
    expect(messages(read)).toEqual([expect.stringContaining('holds bytes that are invalid in euc-kr')]);
  });
});
