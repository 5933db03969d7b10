/**
 * An encoding declared in another spelling of its name: iconv-lite looks a label up by its letters
 * and digits alone, so `GB-2312`, `cp-936` and `GB_18030` decode as GBK and `utf_8` as UTF-8, but
 * licbridge compared the label as written. A UTF-8 export under `GB-2312` was then read as GBK
 * without the GB18030 checks, every Chinese value other characters (`张三` as `寮犱笁`) and none
 * quarantined; a UTF-8 export under `utf_8` (Python's codec name, which ElementTree writes into
 * the declaration as given) or the WHATWG label `unicode-1-1-utf-8` was taken for a one-byte
 * encoding, and every Chinese value was quarantined as "read as utf_8, but its bytes read as utf-8
 * text"; `unicode-2-0-utf-8` stopped the read as an encoding licbridge cannot decode; and a UTF-8
 * export under `utf_16` was decoded as UTF-16 and refused at line 1, column 1.
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

// Its UTF-8 bytes are valid GBK throughout (`鐜嬩簲鍟嗗簵`): read as GBK, no byte is invalid.
const NAME = '王五商店';
const text = (declared: string) =>
  `<?xml version="1.0" encoding="${declared}"?>\n<Root>\n  <Records>\n    <Record><ID>0012</ID><MC>${NAME}</MC></Record>\n  </Records>\n</Root>\n`;

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

const shown = (read: SourceRow[]) =>
  read.map((r) => [r.key, r.values.MC, (r.problems ?? []).map((p) => p.code)]);

describe('xml-files: an encoding label spelt with other separators', () => {
  it.each(['GB-2312', 'cp-936', 'MS-936', 'windows_936', 'GB_18030', 'EUC_CN'])(
    'reads GBK bytes declaring %s as GB18030',
    async (declared) => {
      const read = await rows(iconv.encode(text(declared), 'gbk'));
      expect(shown(read)).toEqual([['0012', NAME, []]]);
    },
  );

  it.each(['GB-2312', 'cp-936', 'GB_18030'])(
    'doubts UTF-8 bytes declaring %s, as it doubts them under GBK',
    async (declared) => {
      const read = await rows(Buffer.from(text(declared), 'utf8'));
      expect(shown(read)).toEqual([['0012', null, ['LB_SOURCE_DECODE']]]);
    },
  );

  it.each(['utf_8', 'UTF.8', 'unicode-1-1-utf-8', 'unicode-2-0-utf-8', 'x-unicode20utf8'])(
    'reads UTF-8 declaring %s as UTF-8',
    async (declared) => {
      const read = await rows(Buffer.from(text(declared), 'utf8'));
      expect(shown(read)).toEqual([['0012', NAME, []]]);
    },
  );

  it('doubts GBK bytes declaring utf_8, as it doubts them under utf-8', async () => {
    const read = await rows(iconv.encode(text('utf_8'), 'gbk'));
    expect(shown(read)).toEqual([['0012', null, ['LB_SOURCE_DECODE']]]);
  });

  it.each(['utf_16', 'UTF_16LE', 'ucs_2'])('reads UTF-8 declaring %s as UTF-8', async (declared) => {
    const read = await rows(Buffer.from(text(declared), 'utf8'));
    expect(shown(read)).toEqual([['0012', NAME, []]]);
  });
});
