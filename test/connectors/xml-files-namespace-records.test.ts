/**
 * A record path written without prefixes (`Root/Records/Record`) reads elements by their local
 * names. Elements of one local name in two namespaces in one container (`<Record>` and
 * `<del:Record>`, deletions an export tool writes under a namespace of their own) were all read as
 * records, without a word: the deleted ones went out as licenses like the others. Which of them
 * are the records cannot be told, so such a file is now refused (LB_SOURCE_SCHEMA, naming the
 * file and both elements), as a file whose records cannot be found is; the files before it are
 * read. One namespace under two prefixes is one element, read as before.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const ROOT = '<Root xmlns="urn:lic" xmlns:del="urn:deleted" xmlns:lic="urn:lic">';

async function read(files: Record<string, string>): Promise<{ keys: string[]; error: unknown }> {
  const dir = tempFolder();
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const keys: string[] = [];
  let error: unknown = null;
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    }))
      keys.push(...page.rows.map((r) => r.key));
  } catch (e) {
    error = e;
  } finally {
    await source.close();
  }
  return { keys, error };
}

describe('xml-files: record elements of one local name in two namespaces', () => {
  it('refuses the file, naming both elements, and reads the files before it', async () => {
    const { keys, error } = await read({
      'SPXK_1.xml': `${ROOT}<Records><Record><ID>1</ID></Record></Records></Root>`,
      'SPXK_2.xml': `${ROOT}<Records><Record><ID>2</ID></Record><del:Record><ID>3</ID></del:Record></Records></Root>`,
    });
    expect(keys).toEqual(['1']);
    expect(isLicbridgeError(error) && error.code).toBe('LB_SOURCE_SCHEMA');
    const message = (error as Error).message;
    expect(message).toContain('SPXK_2.xml');
    expect(message).toContain('<Record> and <del:Record>');
  });

  it('refuses one whose containers are of two namespaces', async () => {
    const { error } = await read({
      'SPXK_1.xml': `${ROOT}<Records><Record><ID>1</ID></Record></Records><del:Records><Record><ID>3</ID></Record></del:Records></Root>`,
    });
    expect((error as Error).message).toContain('<Records> and <del:Records>');
  });

  it('reads records of one namespace written with two prefixes, or none', async () => {
    const { keys, error } = await read({
      'SPXK_1.xml': `${ROOT}<Records><Record><ID>1</ID></Record><lic:Record><ID>2</ID></lic:Record></Records></Root>`,
    });
    expect(error).toBeNull();
    expect(keys).toEqual(['1', '2']);
  });
});
