// `qr.url` with `{identifier}` twice (a link that names the license in its path and its query)
// had only the first filled in: every license's code carried the second as the literal text
// `{identifier}`, and the catalog counted its 12 bytes instead of an identifier's 94 against the
// code's room. Every placeholder is filled in and counted. A brace that is no `{identifier}`
// (`{number}`, `{id}`) is refused at load: it was printed as it is into every code.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { buildCatalog, type CatalogEntry } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { ROOT } from '../support/cli.js';
import { foodLicense } from './fixtures.js';

const FOOD = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');

async function withUrl(url: string): Promise<{ problems: string[]; entry?: CatalogEntry; line: number }> {
  const text = (await readFile(FOOD, 'utf8')).replace(
    'qr: { x: 30, y: 150, size: 30 }',
    `qr: { x: 30, y: 150, size: 30, url: "${url}" }`,
  );
  const line = text.split('\n').findIndex((l) => l.includes('url:')) + 1;
  try {
    return { problems: [], entry: buildCatalog([{ file: FOOD, text }]).entries()[0], line };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { problems: e.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`), line };
  }
}

describe('the placeholders of a QR verification URL', () => {
  it('fills in every {identifier}', async () => {
    const { problems, entry } = await withUrl('https://v.cn/{identifier}?c={identifier}');
    expect(problems).toEqual([]);
    const license = foodLicense(1);
    const { content } = layoutFace(entry?.face as NonNullable<CatalogEntry['face']>, license).qr;
    expect(content).toBe(`https://v.cn/${license.identifier}?c=${license.identifier}`);
  });

  it('counts every {identifier} against the room in the code', async () => {
    // 213 bytes hold two identifiers of 94 and 25 bytes besides; 26 do not fit.
    const fits = `https://v.cn/{identifier}/${'a'.repeat(25 - 14)}{identifier}`;
    expect((await withUrl(fits)).problems).toEqual([]);
    const over = `https://v.cn/{identifier}/${'a'.repeat(26 - 14)}{identifier}`;
    const { problems, line } = await withUrl(over);
    expect(problems).toEqual([
      `${line}: face.qr.url: expected the URL with a license identifier in it to fit the QR code (213 bytes; its 2 identifiers take up to 94 each), got 26 bytes besides the identifiers, at most 25`,
    ]);
  });

  it.each([
    ['another field', 'https://v.cn/?id={identifier}&no={number}', '{number}'],
    ['a misspelt placeholder', 'https://v.cn/?id={identifier}&x={Identifier}', '{Identifier}'],
    ['an unclosed brace', 'https://v.cn/?id={identifier}&x={id', '{id'],
    ['a lone closing brace', 'https://v.cn/?id={identifier}}', '}'],
  ])('refuses %s at load, naming it', async (_, url, stray) => {
    const { problems, line } = await withUrl(url);
    expect(problems).toEqual([
      `${line}: face.qr.url: \`${stray}\` is not a placeholder of the URL: only {identifier} is filled in (the license identifier); a brace is no URL character, encode it as %7B or %7D`,
    ]);
  });
});
