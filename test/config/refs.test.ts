// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { resolveRefs } from '../../config/refs.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----\n';
const files: Record<string, string> = {
  '/cfg/keys/seal.pem': PEM,
  '/abs/token': 'tok',
  '/cfg/secret-lf': 'hmac-secret\n',
  '/cfg/secret-crlf': 'hmac-secret\r\n',
};
const ctx = {
  env: { HOST: 'db.local', EMPTY: '' },
  baseDir: '/cfg',
  readFile: (p: string) => {
    const content = files[p];
    if (content === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return content;
  },
};

describe('resolveRefs', () => {
  it('leaves plain strings alone', () => {
    expect(resolveRefs('plain $ text', ctx)).toEqual({
      value: 'plain $ text',
      hasRefs: false,
      problems: [],
      secrets: [],
    });
  });

  it('resolves whole and embedded env references', () => {
    expect(resolveRefs('${env:HOST}', ctx).value).toBe('db.local');
    expect(resolveRefs('postgres://${env:HOST}:5432/lb', ctx)).toMatchObject({
      value: 'postgres://db.local:5432/lb',
      hasRefs: true,
    });
  });

  it('uses the default when the variable is unset or empty', () => {
    expect(resolveRefs('${env:NOPE:-redis://127.0.0.1:6379}', ctx).value).toBe('redis://127.0.0.1:6379');
    expect(resolveRefs('${env:EMPTY:-fallback}', ctx).value).toBe('fallback');
    expect(resolveRefs('${env:NOPE:-}', ctx)).toMatchObject({ value: '', problems: [] });
  });

  it('reads files relative to the config folder, keeping PEM whole and other text without its line ends', () => {
    expect(resolveRefs('${file:./keys/seal.pem}', ctx).value).toBe(PEM);
    expect(resolveRefs('${file:/abs/token}', ctx).value).toBe('tok');
    // A secret saved by `echo` or a Windows editor: the line end is not part of it.
    expect(resolveRefs('${file:./secret-lf}', ctx).value).toBe('hmac-secret');
    expect(resolveRefs('${file:./secret-crlf}', ctx).value).toBe('hmac-secret');
    expect(resolveRefs('Bearer ${file:./secret-lf}!', ctx).value).toBe('Bearer hmac-secret!');
  });

  it('keeps `$${` as a literal `${`', () => {
    expect(resolveRefs('cost: $${env:HOST}', ctx)).toEqual({
      value: 'cost: ${env:HOST}',
      hasRefs: false,
      problems: [],
      secrets: [],
    });
  });

  it('lists the values environment variables and files supplied, not defaults written in the config', () => {
    expect(resolveRefs('postgres://${env:HOST}:5432/${env:NOPE:-lb}', ctx).secrets).toEqual([
      { value: 'db.local', ref: '${env:HOST}' },
    ]);
    expect(resolveRefs('${env:HOST:-x}${file:./keys/seal.pem}', ctx).secrets).toEqual([
      { value: 'db.local', ref: '${env:HOST}' },
      { value: PEM, ref: '${file:./keys/seal.pem}' },
    ]);
  });

  it('reports unset variables, unreadable files and unknown forms', () => {
    expect(resolveRefs('${env:MISSING}', ctx).problems[0]).toContain('`MISSING` is not set');
    expect(resolveRefs('${file:keys/none.pem}', ctx).problems[0]).toContain('/cfg/keys/none.pem');
    expect(resolveRefs('${vault:x}', ctx).problems[0]).toContain('unknown reference');
    expect(resolveRefs('${env:HOST', ctx).problems[0]).toContain('unterminated');
  });
});
