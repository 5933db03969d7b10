// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * A URL whose port is 0 parses (`http://platform.example:0`), so it loaded and `config check` said
 * ok; but no client reaches port 0, and the target, the ledger or Redis failed when first used. It
 * is refused at its line, the value shown with its password masked or named by its reference.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const REDIS = 'redis: "${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}"';
const TARGET_URL = 'url: "${env:LICBRIDGE_PROVINCE_URL:-http://127.0.0.1:7801}"';
const LEDGER = 'url: "sqlite://./data/ledger.db"';

const broken = (from: string, to: string): string => {
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(from, to);
};

describe('a URL on port 0', () => {
  it.each([
    ['targets.province.url', TARGET_URL, 'url: "http://platform.example:0/api"'],
    ['ledger.url', LEDGER, 'url: "postgres://lb:Pw-0f-The-Ledger@db.example:0/ledger"'],
    ['queue.redis', REDIS, 'redis: "redis://:Pw-0f-The-Redis@127.0.0.1:00/2"'],
  ])('%s is refused at its line', async (path, from, to) => {
    const text = broken(from, to);
    const { problems, error } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.line).toBe(positionOf(text, to).line);
    expect(problems[0]?.message).toContain('port from 1 to 65535');
    expect(formatConfigError(error)).not.toContain('Pw-0f');
  });

  it('from a reference, named by the reference', async () => {
    const { problems } = await problemsOf(VALID_CONFIG, {
      LICBRIDGE_PROVINCE_URL: 'https://platform.example:0',
    });
    expect(problems.map((p) => p.path)).toEqual(['targets.province.url']);
    expect(problems[0]?.message).toContain('`${env:LICBRIDGE_PROVINCE_URL:-http://127.0.0.1:7801}`');
    expect(problems[0]?.message).not.toContain('platform.example');
  });
});
