/** An export file created but not yet written: reported as such, at a real position. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function readError(content: string): Promise<Error & { code?: string }> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'YSXK_20261105.xml'), content);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  try {
    for await (const _ of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    })) {
      // nothing to read
    }
    throw new Error('the read succeeded');
  } catch (e) {
    return e as Error & { code?: string };
  } finally {
    await source.close();
  }
}

describe('xml-files: an export file with no element yet', () => {
  it('an empty file is reported as empty, at line 1, column 1', async () => {
    const error = await readError('');
    expect(error.code).toBe('LB_SOURCE_SCHEMA');
    expect(error.message).toContain('file YSXK_20261105.xml');
    expect(error.message).toContain('line 1, column 1: the file is empty');
    expect(error.message).toContain('still being written');
    expect(error.message).not.toContain('undefined');
  });

  it('a file holding only its declaration is reported where it ends', async () => {
    const declaration = '<?xml version="1.0" encoding="UTF-8"?>';
    const error = await readError(`${declaration}\n`);
    expect(error.code).toBe('LB_SOURCE_SCHEMA');
    expect(error.message).toContain(`line 1, column ${declaration.length + 1}: the file holds no element`);
    expect(error.message).not.toContain('undefined');
  });
});
