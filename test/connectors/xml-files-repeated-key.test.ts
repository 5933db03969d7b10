/**
 * A record holding its key (or cursor) element more than once — `<ID>` twice, or `<ID>` and
 * `<ext:ID>`, which a record path without prefixes reads by one local name — has no one key: read
 * as the JSON list of both, it became a license keyed `["1","X-9"]` without a word.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { explainedCodes, reasonText } from '../../pipelines/quarantine-reasons.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(records: string, cursor?: string): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'SPXK_1.xml'), `<Root xmlns:ext="urn:ext"><Records>${records}</Records></Root>`);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const rows: SourceRow[] = [];
  const stream = { table: RECORD_PATH, key: 'ID', ...(cursor ? { cursor } : {}) };
  for await (const page of source.read({ stream, after: null, pageSize: 10 })) rows.push(...page.rows);
  await source.close();
  return rows;
}

describe('xml-files: a key or cursor element held twice by a record', () => {
  it.each([
    ['repeated', '<ID>1</ID><ID>2</ID>'],
    ['in two namespaces', '<ID>1</ID><ext:ID>X-9</ext:ID>'],
  ])(
    'a key %s quarantines the record under its stand-in key, naming the field, never a value',
    async (_, inner) => {
      const rows = await rowsOf(`<Record>${inner}<MC>甲</MC></Record><Record><ID>3</ID></Record>`);
      expect(rows.map((r) => r.key)).toEqual(['SPXK_1.xml#0', '3']);
      expect(rows[0]?.problems).toEqual([
        expect.objectContaining({ column: 'ID', code: 'LB_SOURCE_FIELD_REPEATED' }),
      ]);
      const message = rows[0]?.problems?.[0]?.message ?? '';
      expect(message).toContain('record 0 in file SPXK_1.xml');
      expect(message).not.toMatch(/X-9|"2"/);
      expect(rows[1]?.problems).toBeUndefined();
    },
  );

  it('a cursor held twice quarantines the record, keyed as usual', async () => {
    const rows = await rowsOf(
      '<Record><ID>1</ID><GXSJ>2026-11-05</GXSJ><GXSJ>2026-11-01</GXSJ></Record>',
      'GXSJ',
    );
    expect(rows.map((r) => r.key)).toEqual(['1']);
    expect(rows[0]?.problems).toEqual([
      expect.objectContaining({ column: 'GXSJ', code: 'LB_SOURCE_FIELD_REPEATED' }),
    ]);
  });
});

describe('the quarantine worklist', () => {
  it('explains LB_SOURCE_FIELD_REPEATED in its own sentences', () => {
    expect(explainedCodes()).toContain('LB_SOURCE_FIELD_REPEATED');
    expect(reasonText('LB_SOURCE_FIELD_REPEATED').en).not.toBe(reasonText('LB_NO_SUCH_CODE').en);
  });
});
