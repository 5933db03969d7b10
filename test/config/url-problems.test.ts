// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

/** The valid config with one substring replaced. */
const broken = (from: string, to: string): string => {
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(from, to);
};

const REDIS = 'redis: "${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}"';
const TARGET_URL = 'url: "${env:LICBRIDGE_PROVINCE_URL:-http://127.0.0.1:7801}"';

describe('a URL no client can parse is a config problem', () => {
  it.each([
    ['queue.redis', REDIS, 'redis: "redis://:Pw-0f-The-Redis@127.0.0.1:notaport"', ':notaport'],
    [
      'ledger.url',
      'url: "sqlite://./data/ledger.db"',
      'url: "postgres://lb:Pw-0f-The-Redis@db:5432x/l"',
      'db:5432x',
    ],
    ['targets.province.url', TARGET_URL, 'url: "http://127.0.0.1:99999"', 'http://127.0.0.1:99999'],
  ])('%s', async (path, from, to, shown) => {
    const text = broken(from, to);
    const { error, problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, to.slice(to.indexOf('"'))),
        path,
        message: expect.stringMatching(/^expected a URL, got .*, which does not parse/),
      }),
    ]);
    expect(problems[0]?.message).toContain(shown);
    expect(formatConfigError(error)).not.toContain('Pw-0f-The-Redis');
  });

  it('names the reference a URL came from, not its value', async () => {
    const { problems } = await problemsOf(VALID_CONFIG, {
      LICBRIDGE_REDIS_URL: 'redis://:Pw-0f-The-Redis@127.0.0.1:notaport',
    });
    expect(problems.map((p) => p.path)).toEqual(['queue.redis']);
    expect(problems[0]?.message).toContain('from `${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}`');
    expect(problems[0]?.message).not.toContain('Pw-0f');
  });

  it.each([
    ['redis://127.0.0.1:6379/abc', '/abc'],
    ['redis://:Pw-0f-The-Redis@127.0.0.1:6379/queues', '/queues'],
    ['rediss://127.0.0.1:6379/1/2', '/1/2'],
  ])('a Redis URL whose path is no database number: %s', async (url, path) => {
    const text = broken(REDIS, `redis: "${url}"`);
    const { error, problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'queue.redis',
        message: expect.stringMatching(/^expected a Redis URL whose path is a database number/),
      }),
    ]);
    expect(problems[0]?.message).toContain(`\`${path}\``);
    expect(formatConfigError(error)).not.toContain('Pw-0f-The-Redis');
  });

  it.each(['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379/', 'redis://127.0.0.1:6379/3'])(
    'a Redis URL with no path or a database number is fine: %s',
    async (url) => {
      const file = await writeConfig(broken(REDIS, `redis: "${url}"`), { 'data/keys/seal.key.pem': KEY_PEM });
      const config = await loadConfig({ file, env: {} });
      expect(config.queue.redis).toBeDefined();
    },
  );
});
