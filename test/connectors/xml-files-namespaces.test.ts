/**
 * Exports written with XML namespaces, and files whose document is not the one the record path
 * names. A file read as "no records" is recorded as read and never looked at again, so a record
 * path that silently matches nothing loses the whole export.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = tempFolder();
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const stream = { table: RECORD_PATH, key: 'ID' };

async function rowsOf(dir: string, recordPath = RECORD_PATH): Promise<SourceRow[]> {
  const source = openXmlFilesSource('food', xmlConfig(dir, { recordPath }));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { ...stream, table: recordPath },
      after: null,
      pageSize: 100,
    }))
      rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

const prefixed = (prefix: string, id: string, name: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<${prefix}:Root xmlns:${prefix}="http://example.gov.cn/license/export" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <${prefix}:Records>
    <${prefix}:Record><${prefix}:ID>${id}</${prefix}:ID><${prefix}:MC>${name}</${prefix}:MC><${prefix}:BZ xsi:nil="true"/></${prefix}:Record>
  </${prefix}:Records>
</${prefix}:Root>
`;

describe('xml-files: namespaces', () => {
  it('reads the records of an export whose elements carry a namespace prefix', async () => {
    const dir = folder({ 'E001.xml': prefixed('ns2', '1', '甲店') });
    const rows = await rowsOf(dir);
    expect(rows.map((r) => [r.key, r.values.MC])).toEqual([['1', '甲店']]);
  });

  it('reads two exports whose tool chose different prefixes for the same namespace', async () => {
    const dir = folder({
      'E001.xml': prefixed('ns2', '1', '甲店'),
      'E002.xml': prefixed('lic', '2', '乙店'),
    });
    expect((await rowsOf(dir)).map((r) => [r.key, r.values.MC])).toEqual([
      ['1', '甲店'],
      ['2', '乙店'],
    ]);
  });

  it('reads an export in a default namespace, without a field for the declaration', async () => {
    const dir = folder({
      'E001.xml':
        '<Root xmlns="http://example.gov.cn/x"><Records><Record xmlns="http://example.gov.cn/x"><ID>1</ID></Record></Records></Root>',
    });
    expect((await rowsOf(dir)).map((r) => r.values)).toEqual([{ ID: '1' }]);
  });

  it('still takes a record path written with the prefixes, as before', async () => {
    const dir = folder({ 'E001.xml': prefixed('ns2', '1', '甲店') });
    const source = openXmlFilesSource(
      'food',
      xmlConfig(dir, { recordPath: 'ns2:Root/ns2:Records/ns2:Record' }),
    );
    const keys: string[] = [];
    for await (const page of source.read({
      stream: { table: 'ns2:Root/ns2:Records/ns2:Record', key: 'ns2:ID' },
      after: null,
      pageSize: 10,
    }))
      keys.push(...page.rows.map((r) => r.key));
    await source.close();
    expect(keys).toEqual(['1']);
  });
});

describe('xml-files: a file that is not the export the record path names', () => {
  it('stops the read naming the file and its root element, instead of reading no records', async () => {
    const dir = folder({
      'E001.xml': '<Root><Records><Record><ID>1</ID></Record></Records></Root>',
      'E002.xml': '<Export><Records><Record><ID>2</ID></Record></Records></Export>',
    });
    const e = await rowsOf(dir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isLicbridgeError(e)).toBe(true);
    expect((e as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
    expect((e as Error).message).toContain('E002.xml');
    expect((e as Error).message).toContain('<Export>');
  });

  it('reads an export with no records under its root as empty', async () => {
    const dir = folder({ 'E001.xml': '<Root><Records/></Root>', 'E002.xml': '<Root/>' });
    expect(await rowsOf(dir)).toEqual([]);
  });
});
