/** Encodings, bad bytes and hostile documents: what an export folder can throw at the connector. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const f = tempFolder();
  folders.push(f);
  return f;
}

const stream = { table: RECORD_PATH, key: 'ID' };

async function rowsOf(dir: string, overrides = {}): Promise<SourceRow[]> {
  const source = openXmlFilesSource('food', xmlConfig(dir, overrides));
  const rows: SourceRow[] = [];
  for await (const page of source.read({ stream, after: null, pageSize: 100 })) rows.push(...page.rows);
  await source.close();
  return rows;
}

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(isLicbridgeError(e), 'a LicbridgeError').toBe(true);
  return e as Error & { code?: string };
}

const NAME = '青岛西海岸新区市场监督管理局';

describe('xml-files encodings', () => {
  it('reads a GBK export that declares GBK', async () => {
    const dir = folder();
    await writeExport(dir, 'a.xml', [{ ID: '1', MC: NAME }], { encoding: 'gbk' });
    const [row] = await rowsOf(dir);
    expect(row?.values.MC).toBe(NAME);
    expect(row?.problems).toBeUndefined();
  });

  it('reads a GBK export that claims UTF-8 when the source says gbk', async () => {
    const dir = folder();
    await writeExport(dir, 'a.xml', [{ ID: '1', MC: NAME }], { encoding: 'gbk', declare: 'UTF-8' });
    expect((await rowsOf(dir, { encoding: 'gbk' }))[0]?.values.MC).toBe(NAME);
    // Left to the lying declaration the bytes are invalid UTF-8: the row carries a problem.
    const [row] = await rowsOf(dir);
    expect(row?.values.MC).toBeNull();
    expect(row?.problems).toEqual([expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_DECODE' })]);
  });

  it('decodes characters outside GBK when the file is GB18030', async () => {
    const dir = folder();
    // U+20BB7 (𠮷) exists in GB18030 only, as a four-byte sequence.
    const text = `<?xml version="1.0" encoding="GB18030"?><Root><Records><Record><ID>1</ID><MC>𠮷野家</MC></Record></Records></Root>`;
    writeFileSync(join(dir, 'a.xml'), iconv.encode(text, 'gb18030'));
    expect((await rowsOf(dir))[0]?.values.MC).toBe('𠮷野家');
  });

  it('trusts a byte-order mark over the declaration', async () => {
    const dir = folder();
    const text = `<?xml version="1.0" encoding="GBK"?><Root><Records><Record><ID>1</ID><MC>${NAME}</MC></Record></Records></Root>`;
    writeFileSync(join(dir, 'a.xml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect((await rowsOf(dir))[0]?.values.MC).toBe(NAME);
  });

  // UTF-32LE's mark begins with UTF-16LE's (FF FE): read as UTF-16, every character was followed
  // by a NUL and the file was refused at its first character.
  for (const [encoding, mark] of [
    ['utf-32le', [0xff, 0xfe, 0, 0]],
    ['utf-32be', [0, 0, 0xfe, 0xff]],
  ] as const) {
    it(`reads a ${encoding} file by its byte-order mark`, async () => {
      const dir = folder();
      const text = `<?xml version="1.0" encoding="UTF-32"?><Root><Records><Record><ID>1</ID><MC>${NAME}</MC></Record></Records></Root>`;
      writeFileSync(join(dir, 'a.xml'), Buffer.concat([Buffer.from(mark), iconv.encode(text, encoding)]));
      expect((await rowsOf(dir))[0]?.values.MC).toBe(NAME);
    });
  }

  for (const encoding of ['utf-32le', 'utf-32be'] as const) {
    it(`reads a ${encoding} file without a byte-order mark by its zero bytes`, async () => {
      const dir = folder();
      const text = `<?xml version="1.0" encoding="UTF-32"?><Root><Records><Record><ID>1</ID><MC>${NAME}</MC></Record></Records></Root>`;
      writeFileSync(join(dir, 'a.xml'), iconv.encode(text, encoding));
      expect((await rowsOf(dir))[0]?.values.MC).toBe(NAME);
    });
  }

  it('reads a GB18030 file by its byte-order mark, also under encoding: gbk', async () => {
    const dir = folder();
    const text = `<?xml version="1.0" encoding="GB18030"?><Root><Records><Record><ID>1</ID><MC>${NAME}</MC></Record></Records></Root>`;
    writeFileSync(
      join(dir, 'a.xml'),
      Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), iconv.encode(text, 'gb18030')]),
    );
    expect((await rowsOf(dir))[0]?.values.MC).toBe(NAME);
    expect((await rowsOf(dir, { encoding: 'gbk' }))[0]?.values.MC).toBe(NAME);
  });

  it('quarantines only the record with invalid bytes; the others read cleanly', async () => {
    const dir = folder();
    const head = iconv.encode(
      `<?xml version="1.0" encoding="GBK"?><Root><Records><Record><ID>1</ID><MC>${NAME}</MC></Record><Record><ID>2</ID><MC>`,
      'gbk',
    );
    // 0x81 0x20: a lead byte followed by a byte no GBK/GB18030 sequence allows.
    const tail = iconv.encode(
      `</MC><JYCS>ok</JYCS></Record><Record><ID>3</ID><MC>乙</MC></Record></Records></Root>`,
      'gbk',
    );
    writeFileSync(join(dir, 'a.xml'), Buffer.concat([head, Buffer.from([0x41, 0x81, 0x20]), tail]));
    const rows = await rowsOf(dir);
    expect(rows.map((r) => r.key)).toEqual(['1', '2', '3']);
    expect(rows[1]?.problems).toEqual([
      { column: 'MC', code: 'LB_SOURCE_DECODE', message: expect.stringContaining('field MC') },
    ]);
    expect(rows[1]?.values).toEqual({ ID: '2', MC: null, JYCS: 'ok' });
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[2]?.values.MC).toBe('乙');
  });

  it('refuses an encoding it cannot decode, naming the file', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a.xml'), '<?xml version="1.0" encoding="X-NOPE"?><Root/>');
    const e = await failure(rowsOf(dir));
    expect(e.code).toBe('LB_SOURCE_SCHEMA');
    expect(e.message).toContain('a.xml');
    expect(e.message).toContain('x-nope');
  });
});

describe('xml-files values', () => {
  it('reads attributes, nested and repeated fields, references and empty elements', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'a.xml'),
      `<Root><Records><Record ID="7"><MC>  A &amp; B &#20013;&#x56FD; </MC><E/><DZ><SHENG>山东</SHENG></DZ><XM>甲</XM><XM>乙</XM></Record></Records></Root>`,
    );
    const [row] = await rowsOf(dir);
    expect(row?.key).toBe('7');
    expect(row?.values).toEqual({
      ID: '7',
      MC: 'A & B 中国',
      E: null,
      'DZ.SHENG': '山东',
      XM: '["甲","乙"]',
    });
  });

  it('gives a record without its key a stand-in key and a problem', async () => {
    const dir = folder();
    await writeExport(dir, 'a.xml', [{ ID: '1' }, { MC: 'no id' }]);
    const rows = await rowsOf(dir);
    expect(rows[1]?.key).toBe('a.xml#1');
    expect(rows[1]?.problems?.[0]).toMatchObject({ column: 'ID', code: 'LB_SOURCE_KEY_MISSING' });
  });
});

describe('xml-files hostile and broken files', () => {
  it('does not expand entities: a billion-laughs file reads as one quarantinable record', async () => {
    const dir = folder();
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    writeFileSync(
      join(dir, 'bomb.xml'),
      `<?xml version="1.0"?>\n<!DOCTYPE Root [${levels.join('')}]>\n<Root><Records><Record><ID>1</ID><MC>&lol9;</MC></Record></Records></Root>`,
    );
    const [row] = await rowsOf(dir);
    expect(row?.values.MC).toBeNull();
    expect(row?.problems?.[0]).toMatchObject({ column: 'MC', code: 'LB_SOURCE_ENTITY' });
  });

  it('never resolves an external entity', async () => {
    const dir = folder();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET');
    writeFileSync(
      join(dir, 'xxe.xml'),
      `<?xml version="1.0"?>\n<!DOCTYPE Root [<!ENTITY xxe SYSTEM "file://${secret}">]>\n<Root><Records><Record><ID>1</ID><MC>&xxe;</MC></Record></Records></Root>`,
    );
    const e = await rowsOf(dir).then(
      (rows) => JSON.stringify(rows),
      (error: unknown) => error,
    );
    // Either refused as a whole or read with the reference left unexpanded — never the file's text.
    expect(String(e instanceof Error ? e.message : e)).not.toContain('TOP-SECRET');
    expect(isLicbridgeError(e) && e.code).toBe('LB_SOURCE_SCHEMA');
    expect((e as Error).message).toContain('xxe.xml');
  });

  it('stops at a file above maxFileBytes, naming it and the knob', async () => {
    const dir = folder();
    await writeExport(
      dir,
      'big.xml',
      Array.from({ length: 50 }, (_, i) => ({ ID: String(i), MC: 'x'.repeat(40) })),
    );
    const e = await failure(rowsOf(dir, { maxFileBytes: 1024 }));
    expect(e.code).toBe('LB_SOURCE_SCHEMA');
    expect(e.message).toMatch(/big\.xml.*maxFileBytes/);
  });

  it('names the file, line and column of XML that is not well-formed', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'bad.xml'), '<Root>\n<Records>\n<Record><ID>1</ID></Recod>\n</Records></Root>');
    const e = await failure(rowsOf(dir));
    expect(e.message).toMatch(/bad\.xml: not well-formed XML at line 3/);
  });

  it('says when the folder is missing, and that it may come back', async () => {
    const source = openXmlFilesSource('food', xmlConfig(join(folder(), 'not-mounted')));
    const e = await failure(source.checkConnection());
    expect(e.code).toBe('LB_SOURCE_UNREACHABLE');
    expect((e as unknown as { retryable: boolean }).retryable).toBe(true);
    expect(e.message).toContain('not-mounted');
  });
});
