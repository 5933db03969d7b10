// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * U+FFFD written in a UTF-8 file is text like any other character (a code table may list what a
 * driver writes for a byte it could not read): only bytes that do not decode make a file not
 * UTF-8. Every U+FFFD of the decoded text counted as damage, and such a table was refused. The
 * column of a damaged byte on line 1 is counted after a byte order mark, which no editor shows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRefs } from '../../config/refs.js';
import { utf8Text } from '../../core/not-utf8.js';
import { compileMapping } from '../../mappings/compile.js';

const dir = mkdtempSync(join(tmpdir(), 'lb-fffd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (...parts: (string | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));

describe('a literal U+FFFD is UTF-8 text', () => {
  it('a code table listing U+FFFD maps it', async () => {
    writeFileSync(
      join(dir, 'm.yaml'),
      'dictionaries:\n  marks: { file: ./marks.csv }\nfields:\n  surface.mark: { from: BJ, lookup: marks }\n',
    );
    writeFileSync(join(dir, 'marks.csv'), 'code,value\n01,\uFFFD（无法识别）\n02,正常\n');
    const r = (await compileMapping(join(dir, 'm.yaml'))).map({ BJ: '01' });
    expect(r.ok && r.fields.surface).toEqual({ mark: '\uFFFD（无法识别）' });
  });

  it('a mapping constant holding U+FFFD compiles', async () => {
    writeFileSync(join(dir, 'c.yaml'), 'fields:\n  surface.mark: { const: "a\uFFFDb" }\n');
    const r = (await compileMapping(join(dir, 'c.yaml'))).map({});
    expect(r.ok && r.fields.surface).toEqual({ mark: 'a\uFFFDb' });
  });

  it('a secret file holding U+FFFD is read as written', () => {
    writeFileSync(join(dir, 'token'), 'tok\uFFFD1\n');
    expect(resolveRefs('${file:./token}', { env: {}, baseDir: dir })).toMatchObject({
      value: 'tok\uFFFD1',
      problems: [],
    });
  });

  it('GBK bytes after a literal U+FFFD are found on their own line', () => {
    const p = utf8Text(bytes('a: "\uFFFD"\nb: ', iconv.encode('个体', 'gbk'), '\n'), 'f.yaml').problem;
    expect(p && [p.line, p.column]).toEqual([2, 4]);
  });
});

describe('the column of a damaged byte on line 1', () => {
  it('is counted after a byte order mark', () => {
    const p = utf8Text(bytes('\uFEFFab', Buffer.from([0xc7, 0xe0]), '\n'), 'f.csv').problem;
    expect(p && [p.line, p.column]).toEqual([1, 3]);
  });

  it('and without one, as the file reads', () => {
    const p = utf8Text(bytes('ab', Buffer.from([0xc7, 0xe0]), '\n'), 'f.csv').problem;
    expect(p && [p.line, p.column]).toEqual([1, 3]);
  });
});
