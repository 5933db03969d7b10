// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * The reference says beside each secret setting (marked in the schema) how to write it and that
 * `config check` warns of one written inline, and its opening says so once; a setting merely
 * named like a secret (a stream's `key` column) says nothing of it.
 */
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../cli/config-docs.js';

const SAID =
  'Secret: write it as `${env:NAME}` or `${file:path}`; `licbridge config check` warns of one written inline.';

const rowOf = (md: string, start: string): string => {
  const row = md.split('\n').find((l) => l.startsWith(start));
  expect(row, start).toBeDefined();
  return row ?? '';
};

describe('the config reference and secret settings', () => {
  const md = renderConfigDocs();

  it('says how to write each secret, beside it', () => {
    expect(rowOf(md, '| `password` | string | — | Login password')).toContain(SAID);
    expect(rowOf(md, '| `clientSecret` |')).toContain(SAID);
    expect(rowOf(md, '| `passphrase` | string | — | Passphrase of an encrypted key')).toContain(SAID);
    expect(rowOf(md, '| `key` | string | — | PEM text of the PKCS#8 private key')).toContain(SAID);
  });

  it('says nothing of it beside a setting that is no secret', () => {
    expect(rowOf(md, '| `key` | string | required | Column that identifies a row')).not.toContain('Secret:');
    expect(rowOf(md, '| `appKey` |')).not.toContain('Secret:');
  });

  it('says in its opening that config check warns of a secret written inline', () => {
    const opening = md.slice(0, md.indexOf('\n## '));
    expect(opening).toMatch(/`licbridge config check` warns of each secret setting written inline/);
  });
});

describe('the config reference and passwords written into URLs', () => {
  it('says in its opening that config check warns of a URL holding a password written in it', () => {
    const md = renderConfigDocs();
    // As read, whatever the line breaks.
    const opening = md.slice(0, md.indexOf('\n## ')).replace(/\s+/g, ' ');
    expect(opening).toMatch(/and of each URL holding a password written in it/);
    expect(opening).toMatch(/or a query parameter naming a secret \(`\?access_token=…`\)/);
  });
});
