/**
 * A DOCTYPE the parser refuses: its message quotes pieces of the document in double quotes or
 * none, and the error goes to logs, the ledger and Redis. No piece of a value is shown.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const ID = '370211199001011234';
const NAME = '欧阳秀英';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function readError(doctype: string): Promise<Error & { code?: string }> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(
    join(dir, 'E001.xml'),
    `<?xml version="1.0"?><!DOCTYPE Root [${doctype}]><Root><Records><Record><ID>1</ID></Record></Records></Root>`,
  );
  const source = openXmlFilesSource('food', xmlConfig(dir));
  try {
    for await (const _ of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    })) {
      // nothing
    }
    throw new Error('the read succeeded');
  } catch (e) {
    return e as Error & { code?: string };
  } finally {
    await source.close();
  }
}

describe('xml-files: a refused DOCTYPE names no value', () => {
  it.each([
    ['an ID number as an entity name', `<!ENTITY ${ID} "x">`],
    ['an ID number as an element name', `<!ELEMENT ${ID} (#PCDATA)>`],
    ['a name where a quoted value should be', `<!ENTITY a ${NAME}>`],
  ])('%s', async (_, doctype) => {
    const e = await readError(doctype);
    expect(e.code).toBe('LB_SOURCE_SCHEMA');
    expect(e.message).toContain('file E001.xml: refused');
    expect(e.message).not.toContain(ID.slice(0, 6));
    expect(e.message).not.toContain(NAME[0] as string);
  });

  it('keeps the reason that names no value', async () => {
    const e = await readError('<!ENTITY x SYSTEM "file:///etc/passwd">');
    expect(e.message).toContain('refused: External entities are not supported');
  });
});
