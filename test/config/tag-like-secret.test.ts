// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A password starting with `!` written without quotes (`password: !Qw3rty#9`) is read by YAML as
 * a tag on an empty value. The loader rightly refuses the unknown tag, but quoted it — the whole
 * password — in the problem printed to the terminal and kept in logs.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const FROM = 'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"';

describe('a secret that YAML reads as a tag', () => {
  it('is refused at its line without being shown, saying to quote it', async () => {
    expect(VALID_CONFIG).toContain(FROM);
    const text = VALID_CONFIG.replace(FROM, 'secret: !Qw3rty#9x');
    const { error, problems } = await problemsOf(text);
    expect(problems).toContainEqual(
      expect.objectContaining({
        ...positionOf(text, '!Qw3'),
        path: 'targets.province.auth.secret',
        message: expect.stringContaining('quote'),
      }),
    );
    expect(formatConfigError(error)).not.toContain('Qw3rty');
    expect(error.message).not.toContain('Qw3rty');
  });
});
