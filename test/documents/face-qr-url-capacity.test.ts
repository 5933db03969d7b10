// A face's QR code holds at most 213 bytes (version 10, level M). With `qr.url`, the code holds
// the URL with the license identifier in it, and identifiers differ in length (GB/T 36904: a
// serial of 7 to 32 characters; a renewal keeps a vendor's). A URL too long for the longest
// identifier loaded, and `sign files` issued pages until the first license whose identifier did
// not fit, then stopped with `qr: 214 bytes do not fit …`, naming neither the template nor the
// license, at the same page on every rerun. It is refused when the catalog loads, at its line.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { buildCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { ROOT } from '../support/cli.js';
import { foodLicense } from './fixtures.js';

const FOOD = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');

// The longest identifier GB/T 36904 allows: 32-character serial.
const LONGEST = `1.2.156.3005.2.11370200MB12345674001.11370211MB1234567X.${'9'.repeat(32)}.001.F`;

async function withUrl(url: string): Promise<{ problems: string[]; text: string }> {
  const text = (await readFile(FOOD, 'utf8')).replace(
    'qr: { x: 30, y: 150, size: 30 }',
    `qr: { x: 30, y: 150, size: 30, url: "${url}" }`,
  );
  try {
    buildCatalog([{ file: FOOD, text }]);
    return { problems: [], text };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { problems: e.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`), text };
  }
}

describe('a face QR code with a verification URL', () => {
  it('loads a URL the longest identifier fits, and lays that identifier out', async () => {
    const url = `https://v.example.gov.cn/${'a'.repeat(213 - 94 - 25 - 4)}?id={identifier}`;
    expect(213 - url.length + '{identifier}'.length).toBe(LONGEST.length);
    expect((await withUrl(url)).problems).toEqual([]);
    const { face } = buildCatalog([{ file: FOOD, text: (await withUrl(url)).text }]).entries()[0] as {
      face: Parameters<typeof layoutFace>[0];
    };
    const license = { ...foodLicense(1), identifier: LONGEST };
    expect(layoutFace(face, license).qr.content).toHaveLength(213);
  });

  it('refuses a URL one byte longer, at its line, naming the room left', async () => {
    const url = `https://v.example.gov.cn/${'a'.repeat(213 - 94 - 25 - 3)}?id={identifier}`;
    const { problems, text } = await withUrl(url);
    const line = text.split('\n').findIndex((l) => l.includes('url:')) + 1;
    expect(problems).toEqual([
      `${line}: face.qr.url: expected the URL with a license identifier in it to fit the QR code (213 bytes; an identifier takes up to 94), got ${url.length - 12} bytes besides the identifier, at most 119`,
    ]);
  });
});
