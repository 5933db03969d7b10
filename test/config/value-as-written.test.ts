// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A value YAML reads as another one than written was quoted as read: `areaCode: 0370211` in a
 * YAML 1.1 file (an octal number there) was "got `127113` (number)", a number the file does not
 * hold, and a day `2027-01-01` (a timestamp in YAML 1.1) was "got an object". The problem quotes
 * the value as written, says how YAML read it, and asks for quotes; a secret is still not shown.
 */
import { describe, expect, it } from 'vitest';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

const YAML_11 = '%YAML 1.1\n---\n';

describe('a value YAML read as another than written', () => {
  it('an octal area code is quoted as written', async () => {
    const text = `${YAML_11}${VALID_CONFIG.replace('areaCode: "370211"', 'areaCode: 0370211')}`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'pipelines.food-business-licenses.areaCode',
        'expected string, got `0370211`, which YAML reads as the number 127113; quote it to keep it text',
      ],
    ]);
  });

  it('a YAML 1.1 timestamp is named a date, as written', async () => {
    const text = `${YAML_11}${VALID_CONFIG}calendar:\n  years:\n    "2027": { holidays: [2027-01-01] }\n`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'calendar.years.2027.holidays[0]',
        'expected string, got `2027-01-01`, which YAML reads as a date; quote it to keep it text',
      ],
    ]);
  });

  it('a secret read as a number is still not shown', async () => {
    const text = VALID_CONFIG.replace(
      'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"',
      'secret: 0x5eed',
    );
    expect(text).not.toBe(VALID_CONFIG);
    const { problems } = await problemsOf(text);
    const shown = problems.map((p) => p.message).join('\n');
    expect(shown).toContain('(not shown)');
    expect(shown).not.toContain('5eed');
    expect(shown).not.toContain('24301');
  });
});
