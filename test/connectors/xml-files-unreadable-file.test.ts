/**
 * A file the read cannot take in (above `maxFileBytes`) stops the read as a broken file does: the
 * files before it are read and committed, it and the files after it wait.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { isLicbridgeError } from '../../core/errors.js';
import { memoryState, RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };

/** One read from `after`: the keys of the pages read, the last checkpoint and the error it ended with. */
async function readFrom(
  source: ReturnType<typeof openXmlFilesSource>,
  after: Checkpoint | null,
): Promise<{ keys: string[]; checkpoint: Checkpoint | null; error: unknown }> {
  const keys: string[] = [];
  let checkpoint = after;
  try {
    for await (const page of source.read({ stream, after, pageSize: 100 })) {
      keys.push(...page.rows.map((r) => r.key));
      checkpoint = page.checkpoint;
    }
    return { keys, checkpoint, error: null };
  } catch (error) {
    return { keys, checkpoint, error };
  }
}

describe('xml-files: a file above maxFileBytes', () => {
  it('stops the read after the files before it, which are read and recorded', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1' }, { ID: '2' }]);
    await writeExport(
      dir,
      'SPXK_2.xml',
      Array.from({ length: 40 }, (_, i) => ({ ID: String(10 + i), MC: 'x'.repeat(40) })),
    );
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '3' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir, { maxFileBytes: 1024 }), {
      state: memoryState(),
    });

    const first = await readFrom(source, null);
    expect(first.keys).toEqual(['1', '2']);
    expect(isLicbridgeError(first.error) && first.error.code).toBe('LB_SOURCE_SCHEMA');
    expect((first.error as Error).message).toMatch(/SPXK_2\.xml.*maxFileBytes/);

    // The next run skips the file recorded and waits at the same file, reading nothing after it.
    const second = await readFrom(source, first.checkpoint);
    expect(second.keys).toEqual([]);
    expect((second.error as Error).message).toMatch(/SPXK_2\.xml.*maxFileBytes/);
    await source.close();
  });
});
