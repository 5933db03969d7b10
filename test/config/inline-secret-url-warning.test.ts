// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * Which URLs hold a password written inline, as the config writes them: the `:` of a reference
 * in the user name (`${env:USER}`) is no password's start, and a password made of or holding a
 * reference is a reference.
 */
import { describe, expect, it } from 'vitest';
import { inlineSecrets } from '../../config/inline-secrets.js';

const FILE = '/nowhere/licbridge.yaml';
const ENV = { LB_USER: 'lb', LB_PW: 'from-env', LB_URL: 'postgres://lb:from-env@db/x' };

const warned = (url: string): boolean =>
  inlineSecrets(`ledger: { url: "${url}" }\ncatalog: ./catalog\n`, FILE, ENV).length > 0;

describe('a password written into a URL', () => {
  it.each([
    'postgres://lb:Pw-written-here@db/x',
    'postgres://${env:LB_USER}:Pw-written-here@db/x',
    'postgresql://lb:Pw-written-here@${env:LB_URL}',
  ])('is warned of: %s', (url) => {
    expect(warned(url)).toBe(true);
  });

  it.each([
    'postgres://lb@db/x',
    'postgres://${env:LB_USER}@db/x',
    'postgres://lb:${env:LB_PW}@db/x',
    'postgres://${env:LB_USER}:${env:LB_PW}@db/x',
    'postgres://lb:pre-${env:LB_PW}@db/x',
    '${env:LB_URL}',
    'sqlite://./ledger.db',
  ])('is not warned of: %s', (url) => {
    expect(warned(url)).toBe(false);
  });

  it('names the line, column and setting, never the password', () => {
    const [warning, ...more] = inlineSecrets(
      'catalog: ./catalog\nledger:\n  url: postgres://lb:Pw-written-here@db/x\n',
      FILE,
      ENV,
    );
    expect(more).toEqual([]);
    expect(warning).toMatch(/^\/nowhere\/licbridge\.yaml:3:8: ledger\.url: a URL holding a password/);
    expect(warning).not.toContain('Pw-written-here');
  });
});
