// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A password put into a URL through a reference (`postgres://lb:${env:PW}@db:5432/x`, as the docs
 * show) and holding `@` followed by `/`, `?` or `#` ends the URL's user info early: the URL still
 * parses, to another host, named by the rest of the password. `postgres://lb:k9@rest/x@127.0.0.1…`
 * is user lb, password `k9`, host `rest`: the ledger connected there and handed it part of the
 * password, while `config check` said ok. A reference that moves a URL's host or port off what the
 * file writes is a problem at its line, naming neither the host it moved to nor the value.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const LEDGER = '"sqlite://./data/ledger.db"';
const REDIS = '"${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}"';

const withLedger = (url: string) => {
  expect(VALID_CONFIG).toContain(LEDGER);
  return VALID_CONFIG.replace(LEDGER, `"${url}"`);
};

describe('a reference whose value moves the URL to another host', () => {
  it.each([
    ['k9@rest/x', 'ledger'],
    ['k9@rest?x', 'ledger'],
    ['k9@rest:6543#x', 'ledger'],
  ])('(%s) is a problem at the ledger URL, showing neither host nor value', async (password) => {
    const text = withLedger('postgres://lb:${env:LEDGER_PW}@127.0.0.1:5432/licbridge');
    const { problems } = await problemsOf(text, { LEDGER_PW: password });
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, '"postgres://'),
        path: 'ledger.url',
        message: expect.stringContaining(
          'the value of `${env:LEDGER_PW}` moves the URL off the host and port written (`127.0.0.1:5432`)',
        ),
      }),
    ]);
    const shown = problems.map((p) => p.message).join('\n');
    expect(shown).not.toContain('rest');
    expect(shown).not.toContain('k9');
  });

  it('and at queue.redis', async () => {
    expect(VALID_CONFIG).toContain(REDIS);
    const text = VALID_CONFIG.replace(REDIS, '"redis://:${env:REDIS_PW}@10.0.8.5:6379/2"');
    const { problems } = await problemsOf(text, { REDIS_PW: 'Zq@elsewhere/1' });
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'queue.redis',
        expect.stringContaining(
          '`${env:REDIS_PW}` moves the URL off the host and port written (`10.0.8.5:6379`)',
        ),
      ],
    ]);
  });
});

describe('references that leave the host as written', () => {
  it.each([
    ['postgres://lb:${env:LEDGER_PW}@127.0.0.1:5432/licbridge', { LEDGER_PW: 'k9@rest' }],
    ['postgres://lb:${env:LEDGER_PW}@127.0.0.1:5432/licbridge', { LEDGER_PW: 'k9%40rest%2Fx' }],
    ['postgres://lb:pw@${env:DB_HOST}:5432/licbridge', { DB_HOST: 'db.internal' }],
    ['postgres://lb:pw@127.0.0.1:${env:DB_PORT:-5432}/licbridge', { DB_PORT: '6432' }],
    ['${env:LEDGER_URL}', { LEDGER_URL: 'postgres://lb:pw@db.internal:5432/licbridge' }],
  ])('%s loads', async (url, env) => {
    const file = await writeConfig(withLedger(url), { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env });
    expect(config.ledger.url).toMatch(/^postgres:\/\/lb:/);
  });
});
