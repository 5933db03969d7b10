/**
 * An export declaring an encoding licbridge cannot decode stops the read, and the error suggests the
 * encodings the source's `encoding` takes: all of them, as the schema lists them (gbk, big5,
 * shift_jis and euc-kr too, since ed04f27c), from the one label table, not a list of its own.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Schema } from '../../config/schema/builders.js';
import { source } from '../../config/schema/sources.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** The named encodings the xml-files source's `encoding` takes in the schema (all but `auto`). */
function schemaEncodings(): string[] {
  const variants = (source as { oneOf: Schema[] }).oneOf as {
    properties: Record<string, { const?: string; enum?: string[] }>;
  }[];
  const xml = variants.find((v) => JSON.stringify(v.properties.kind).includes('xml-files'));
  const names = xml?.properties.encoding?.enum ?? [];
  return names.filter((n) => n !== 'auto');
}

describe('xml-files: an encoding it cannot decode', () => {
  it('suggests every encoding the source takes', async () => {
    const named = schemaEncodings();
    expect(named).toEqual(expect.arrayContaining(['utf-8', 'gb18030', 'gbk', 'big5', 'shift_jis', 'euc-kr']));
    const dir = tempFolder();
    folders.push(dir);
    writeFileSync(join(dir, 'a.xml'), '<?xml version="1.0" encoding="X-NOPE"?><Root/>');
    const src = openXmlFilesSource('food', xmlConfig(dir));
    const read = async () => {
      for await (const _ of src.read({
        stream: { table: RECORD_PATH, key: 'ID' },
        after: null,
        pageSize: 10,
      })) {
      }
    };
    const error = await read().then(
      () => null,
      (e: unknown) => e as Error,
    );
    await src.close();
    expect(error?.message).toContain('a.xml');
    expect(error?.message).toContain(`set \`encoding\` on the source (${named.join(', ')})`);
  });
});
