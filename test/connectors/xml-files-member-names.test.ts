/**
 * Element and attribute names that are names of JavaScript object members (`toString`,
 * `constructor`, `__proto__`, `hasOwnProperty`, `valueOf`): nothing in XML sets them apart, and a
 * legacy schema may use one. The parser renamed `<toString>` to a field `__toString` (the mapping
 * reading `toString` got null), refused a whole file holding `<constructor>` or `<__proto__>`
 * (holding back every file after it), and an attribute `__proto__` was dropped without a word; a
 * record without such a field read the object's inherited member as its value. Each is now read
 * under its own name, with its value as written.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { parseRecords } from '../../connectors/xml-files/records.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const PATH = ['Root', 'Records', 'Record'];
const MEMBERS = ['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'constructor', '__proto__'];

function records(xml: string, lists: string[] = []) {
  const out = parseRecords(
    `<Root><Records>${xml}</Records></Root>`,
    PATH,
    () => true,
    { file: 'SPXK_1.xml', encoding: 'utf-8' },
    lists,
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records;
}

async function readAll(xml: string, key: string): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), `<Root><Records>${xml}</Records></Root>`);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({ stream: { table: RECORD_PATH, key }, after: null, pageSize: 10 }))
      rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

describe('xml-files: names of JavaScript object members', () => {
  it('reads elements so named under their own names', () => {
    const fields = MEMBERS.map((m, i) => `<${m}>v${i}</${m}>`).join('');
    const [record] = records(`<Record><ID>1</ID>${fields}<prototype>p</prototype></Record>`);
    expect(record?.problems).toEqual([]);
    expect(record?.values).toEqual({
      ID: '1',
      ...Object.fromEntries(MEMBERS.map((m, i) => [m, `v${i}`])),
      prototype: 'p',
    });
  });

  it('reads them nested, repeated and beside an element written with the parser’s renaming', () => {
    const [record] = records(
      '<Record><ID>1</ID><DZ><constructor>甲</constructor><__proto__><a>乙</a></__proto__></DZ>' +
        '<toString>一</toString><toString>二</toString><__toString>三</__toString></Record>',
    );
    expect(record?.values).toEqual({
      ID: '1',
      'DZ.constructor': '甲',
      'DZ.__proto__.a': '乙',
      toString: '["一","二"]',
      __toString: '三',
    });
  });

  it('reads attributes so named, on the record element too', () => {
    const [record] = records(
      '<Record ID="1" __proto__="p" constructor="c"><MC toString="t">甲</MC></Record>',
    );
    expect(record?.values).toEqual({
      ID: '1',
      // Computed: written plainly, `__proto__` in a literal sets its prototype, no property.
      ['__proto__']: 'p',
      constructor: 'c',
      MC: '甲',
      'MC.toString': 't',
    });
  });

  it('reads null, not an inherited member, where an occurrence of a repeated element lacks one', () => {
    const [record] = records('<Record><ID>1</ID><XM constructor="a">甲</XM><XM>乙</XM></Record>');
    expect(record?.problems).toEqual([]);
    expect(record?.values['XM.constructor']).toBe('["a",null]');
    expect(Object.hasOwn(record?.values ?? {}, 'toString')).toBe(false);
    expect(record?.values.toString).toBeUndefined();
  });

  it('reads lists and records at paths named so', () => {
    const out = parseRecords(
      '<Root><constructor><Record><ID>1</ID><valueOf>甲</valueOf></Record></constructor></Root>',
      ['Root', 'constructor', 'Record'],
      () => true,
      { file: 'SPXK_1.xml', encoding: 'utf-8' },
      ['valueOf'],
    );
    expect(out.ok && out.file.records.map((r) => r.values)).toEqual([{ ID: '1', valueOf: '["甲"]' }]);
  });

  it('keys records by an element so named, and a record without it is quarantined, not keyed by a member', async () => {
    const rows = await readAll(
      '<Record><constructor>K1</constructor></Record><Record><MC>甲</MC></Record>',
      'constructor',
    );
    expect(rows.map((r) => r.key)).toEqual(['K1', 'a.xml#1']);
    expect(rows[1]?.problems?.map((p) => p.code)).toEqual(['LB_SOURCE_KEY_MISSING']);
  });
});
