/**
 * Elements of another name beside the records, in the record element's container, that carry the
 * stream's key: deletions an export tool writes as `<Deleted>`, or records it names otherwise in
 * some files. They are not read (`recordPath` names the record element), and a file that held
 * records too was read without a word, its deletions lost. Each such file is told of by a `warn`
 * line naming the file, the elements and the key, never a value; an element carrying no key (a
 * header, a count) tells nothing.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { createLogger } from '../../core/logger.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const HOLDER_ID = '370211199001011234';

/** The keys of the file's rows and the lines logged, read by a run or by `preview --file`. */
async function readLogged(
  records: string,
  via: 'read' | 'preview' = 'read',
): Promise<{ keys: string[]; logged: string }> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(
    join(dir, 'SPXK_1.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<Root>\n  <Records>\n${records}  </Records>\n</Root>\n`,
  );
  const lines: string[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
  });
  const source = openXmlFilesSource('food', xmlConfig(dir), { logger });
  const keys: string[] = [];
  const stream = { table: RECORD_PATH, key: 'ID' };
  try {
    if (via === 'preview') keys.push(...(await source.fileRows(stream, 'SPXK_1.xml')).map((r) => r.key));
    else
      for await (const page of source.read({ stream, after: null, pageSize: 10 }))
        keys.push(...page.rows.map((r) => r.key));
  } finally {
    await source.close();
  }
  return { keys, logged: lines.join('') };
}

describe('xml-files: elements carrying the key beside the records', () => {
  it.each(['read', 'preview'] as const)(
    'are told of, naming the file, the elements and the key, never a value (%s)',
    async (via) => {
      const { keys, logged } = await readLogged(
        `    <Record><ID>1</ID><MC>甲</MC></Record>\n    <Deleted><ID>${HOLDER_ID}</ID></Deleted>\n    <Deleted><ID>3</ID></Deleted>\n`,
        via,
      );
      expect(keys).toEqual(['1']);
      expect(logged).toContain(
        'xml-files food: file SPXK_1.xml: its <Records> holds <Deleted> elements carrying the key field `ID` beside its <Record> records: they are not read',
      );
      expect(logged).not.toContain(HOLDER_ID);
      expect(logged).not.toContain('甲');
    },
  );

  it('an element beside the records carrying no key field tells nothing', async () => {
    const { keys, logged } = await readLogged(
      '    <Header><Count>1</Count></Header>\n    <Record><ID>1</ID><MC>甲</MC></Record>\n',
    );
    expect(keys).toEqual(['1']);
    expect(logged).toBe('');
  });
});
