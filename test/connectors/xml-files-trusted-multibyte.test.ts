/**
 * A Big5, Shift_JIS or EUC-KR export with few non-ASCII characters can be valid UTF-8 by chance
 * (Big5 `羅` is C3 B9, UTF-8 `ù`; EUC-KR `천` is C3 B5, `õ`; Shift_JIS `ﾃｽ` is C3 BD, `ý`), and
 * under its own declaration it is doubted as a UTF-8 file declaring it would be, every value
 * holding non-ASCII text quarantined. The source's `encoding` names these encodings too, as it
 * names `gbk`: the file is then read in it and trusted, as the doubt asks. Only `auto`, `utf-8`,
 * `gb18030` and `gbk` loaded, so such an export could not be read at all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { KEY_PEM, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const SQLITE = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
const TABLE = 'Root/Records/Record';

const text = (declared: string, names: readonly string[]) =>
  `<?xml version="1.0" encoding="${declared}"?>\n<Root><Records>\n${names
    .map((name, i) => `<Record><ID>${i + 1}</ID><MC>${name}</MC></Record>\n`)
    .join('')}</Records></Root>\n`;

/** The rows of one export file read by an xml-files source loaded from a config naming `encoding`. */
async function rows(bytes: Buffer, encoding: string): Promise<SourceRow[]> {
  expect(VALID_CONFIG).toContain(SQLITE);
  const source = `market-food: { kind: xml-files, path: ./exports, recordPath: ${TABLE}, encoding: ${encoding} }`;
  const file = await writeConfig(
    VALID_CONFIG.replace(SQLITE, source).replace('table: T_SPXK_XKZ', `table: ${TABLE}`),
    { 'data/keys/seal.key.pem': KEY_PEM },
  );
  mkdirSync(join(dirname(file), 'exports'));
  writeFileSync(join(dirname(file), 'exports', 'E001.xml'), bytes);
  const config = await loadConfig({ file, env: {} });
  const sourceConfig = config.sources['market-food'];
  if (sourceConfig === undefined) throw new Error('the source did not load');
  const reader = openXmlFilesSource('market-food', { ...sourceConfig, path: join(dirname(file), 'exports') });
  const out: SourceRow[] = [];
  try {
    for await (const page of reader.read({ stream: { table: TABLE, key: 'ID' }, after: null, pageSize: 10 }))
      out.push(...page.rows);
  } finally {
    await reader.close();
  }
  return out;
}

const shown = (read: SourceRow[]) => read.map((r) => [r.values.MC, (r.problems ?? []).map((p) => p.code)]);

const CASES = [
  ['Big5', 'big5', ['羅', 'Lo 羅 Trading', '簡']],
  ['Shift_JIS', 'shift_jis', ['ﾃｽ', 'ﾃｽﾄｱ Co', 'ﾄｱ']],
  ['EUC-KR', 'euc-kr', ['천', 'Cheon 천', '청']],
] as const;

describe('xml-files: `encoding` naming Big5, Shift_JIS or EUC-KR', () => {
  it.each(CASES)(
    'a %s file valid UTF-8 by chance is doubted under auto',
    async (declared, encoding, names) => {
      const bytes = iconv.encode(text(declared, names), encoding);
      // The premise: valid UTF-8 throughout, reading as Latin letters there.
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
      const read = await rows(bytes, 'auto');
      expect(shown(read)).toEqual(names.map(() => [null, ['LB_SOURCE_DECODE']]));
      expect(read[0]?.problems?.[0]?.message).toContain("set the source's `encoding`");
    },
  );

  it.each(CASES)(
    'the same %s file reads as written with `encoding: %s`',
    async (declared, encoding, names) => {
      const read = await rows(iconv.encode(text(declared, names), encoding), encoding);
      expect(shown(read)).toEqual(names.map((name) => [name, []]));
    },
  );

  it('named, the encoding overrides the declaration, as `gbk` does', async () => {
    const names = ['臺北市政府衛生局', '羅'];
    const read = await rows(iconv.encode(text('UTF-8', names), 'big5'), 'big5');
    expect(shown(read)).toEqual(names.map((name) => [name, []]));
  });

  it('bytes invalid in the named encoding still quarantine their value alone', async () => {
    const names = ['臺北市政府衛生局', '王小明'];
    const bytes = iconv.encode(text('Big5', names), 'big5');
    const cut = iconv.encode('王小明', 'big5');
    const at = bytes.indexOf(cut);
    const read = await rows(
      Buffer.concat([bytes.subarray(0, at + cut.length - 1), bytes.subarray(at + cut.length)]),
      'big5',
    );
    expect(shown(read)).toEqual([
      [names[0], []],
      [null, ['LB_SOURCE_DECODE']],
    ]);
    expect(read[1]?.problems?.[0]?.message).toContain('invalid in big5');
  });
});
