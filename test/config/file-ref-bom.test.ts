// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A secret saved by a Windows editor as "UTF-8" starts with a byte order mark (U+FEFF), which
 * `readFile(…, 'utf8')` keeps: the HMAC secret `\uFEFFhmac-secret` made every request's signature
 * wrong and every delivery refused, a database password was refused, a PEM key did not parse.
 * The mark is not part of the text, as a trailing line end is not.
 */
import { describe, expect, it } from 'vitest';
import { resolveRefs } from '../../config/refs.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----\n';
const files: Record<string, string> = {
  '/cfg/secret': '\uFEFFhmac-secret\r\n',
  '/cfg/key.pem': `\uFEFF${PEM}`,
};
const ctx = { env: {}, baseDir: '/cfg', readFile: (p: string) => files[p] ?? '' };

describe('${file:…} of a file saved with a byte order mark', () => {
  it('a secret is read without the mark', () => {
    expect(resolveRefs('${file:./secret}', ctx)).toMatchObject({ value: 'hmac-secret', problems: [] });
  });

  it('PEM is read without the mark, and otherwise byte for byte', () => {
    expect(resolveRefs('${file:./key.pem}', ctx)).toMatchObject({ value: PEM, problems: [] });
  });
});
