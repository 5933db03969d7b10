// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

/** The valid config with one substring replaced. */
const broken = (from: string, to: string): string => {
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(from, to);
};

describe('a secret written inline is not echoed by a config problem', () => {
  it.each([
    [
      'targets.province.auth.clientSecret',
      'auth: { scheme: hmac, appKey: demo, secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}" }',
      'auth: { scheme: oauth2, tokenUrl: "https://idp.example/token", clientId: lb, clientSecret: 98765432 }',
    ],
    [
      'queue.redis.sentinelPassword',
      'redis: "${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}"',
      'redis: { sentinels: ["127.0.0.1:26379"], name: mymaster, sentinelPassword: 98765432 }',
    ],
  ])('a secret of the wrong type (%s)', async (path, from, to) => {
    const { error, problems } = await problemsOf(broken(from, to));
    expect(problems.map((p) => p.path)).toContain(path);
    expect(formatConfigError(error)).not.toContain('98765432');
    expect(error.message).not.toContain('98765432');
  });
});
