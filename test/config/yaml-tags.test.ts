// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

describe('a YAML tag the loader does not know', () => {
  it('is a problem at its line, not a string taken as the value (`!env NAME` read as the text NAME)', async () => {
    const from = 'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"';
    expect(VALID_CONFIG).toContain(from);
    const text = VALID_CONFIG.replace(from, 'secret: !env LICBRIDGE_PROVINCE_SECRET');
    const { problems } = await problemsOf(text, { LICBRIDGE_PROVINCE_SECRET: 'Pw-0f-The-Province' });
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, '!env'),
        path: 'targets.province.auth.secret',
        message: 'YAML: unknown tag `!env`; write `${env:NAME}` or `${file:path}` inside a string instead',
      }),
    ]);
  });
});
