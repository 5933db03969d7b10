// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

describe('a reference that resolves to nothing', () => {
  it('says the value came empty from the reference, so the variable is the thing to fix', async () => {
    const text = VALID_CONFIG.replace('appKey: demo', 'appKey: "${env:PROVINCE_APP_KEY}"');
    const { problems } = await problemsOf(text, { PROVINCE_APP_KEY: '' });
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'targets.province.auth.appKey',
        message: 'expected a non-empty string, got an empty string from `${env:PROVINCE_APP_KEY}`',
      }),
    ]);
  });

  it('a value written empty in the file reads as before', async () => {
    const { problems } = await problemsOf(VALID_CONFIG.replace('appKey: demo', 'appKey: ""'));
    expect(problems[0]?.message).toBe('expected a non-empty string');
  });
});
