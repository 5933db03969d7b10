// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

/** The valid config with one substring replaced. */
const broken = (from: string, to: string): string => {
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(from, to);
};

const PASSWORD = 'Pw-0f-The-Ledger';

describe('a password written inline in a URL is not echoed by a config problem', () => {
  it.each([
    [
      'ledger.url',
      'url: "sqlite://./data/ledger.db"',
      `url: "postgress://lb:${PASSWORD}@db.example:5432/ledger"`,
    ],
    [
      'queue.redis',
      'redis: "${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}"',
      `redis: "redis:/:${PASSWORD}@127.0.0.1:6379"`,
    ],
    [
      'targets.province.url',
      'url: "${env:LICBRIDGE_PROVINCE_URL:-http://127.0.0.1:7801}"',
      `url: "htps://lb:${PASSWORD}@platform.example"`,
    ],
  ])('a URL with a password that breaks the schema (%s)', async (path, from, to) => {
    const { error, problems } = await problemsOf(broken(from, to));
    expect(problems.map((p) => p.path)).toEqual([path]);
    // The message still says what was wrong: the scheme the URL was written with.
    expect(problems[0]?.message).toMatch(/got `[a-z]+:\//);
    for (const shown of [formatConfigError(error), error.message, JSON.stringify(error.toJSON())]) {
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(PASSWORD.slice(0, 8));
    }
  });

  it.each([
    ['ledger.url', 'url: "sqlite://./data/ledger.db"', 'url: "postgres://lb:Pw-0f/The-Ledger@db:5432/x"'],
    ['ledger.url', 'url: "sqlite://./data/ledger.db"', 'url: "postgres://lb:Pw-0f?The-Ledger@db/x"'],
    [
      'queue.redis',
      'redis: "${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}"',
      'redis: "redis://:Pw-0f#The-Ledger@r:6379"',
    ],
  ])('a password holding /, ? or # that keeps the URL from parsing (%s)', async (path, from, to) => {
    const { error, problems } = await problemsOf(broken(from, to));
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toMatch(/got `[a-z]+:\/\/\*\*\*@/);
    for (const shown of [formatConfigError(error), error.message, JSON.stringify(error.toJSON())]) {
      expect(shown).not.toContain('The-Ledger');
      expect(shown).not.toContain('Pw-0f');
    }
  });
});
