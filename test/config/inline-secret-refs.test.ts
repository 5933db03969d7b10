// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` is config reference syntax, not a template slip.
/**
 * A password written inline may hold `${` (generated passwords do). The loader reads it as a
 * reference and refuses it — rightly — but the problem quoted the text from `${` on
 * (`unknown reference \`${q8Zr}\``, `unterminated reference \`${7hJk2w\``): part of the password
 * in the terminal and in the logs that keep the output.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

const SOURCE = 'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }';
const withSource = (source: string): string => {
  expect(VALID_CONFIG).toContain(SOURCE);
  return VALID_CONFIG.replace(SOURCE, source);
};
const TARGET_SECRET = 'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"';

describe('an inline secret holding `${` is refused without quoting it', () => {
  it.each([
    ['an unknown reference', 'Gx${q8Zr}w2', 'q8Zr'],
    ['an unterminated reference', 'Gx${7hJk2w', '7hJk2w'],
  ])('%s in a `secret`', async (_what, secret, part) => {
    const { error, problems } = await problemsOf(VALID_CONFIG.replace(TARGET_SECRET, `secret: "${secret}"`));
    expect(problems.map((p) => p.path)).toContain('targets.province.auth.secret');
    expect(formatConfigError(error)).not.toContain(part);
    expect(formatConfigError(error)).toContain('write `$${` for a literal `${`');
  });

  it('in the password of a URL', async () => {
    const { error, problems } = await problemsOf(
      withSource(
        'market-food: { kind: postgres, url: "postgres://lb:Gx${q8Zr}w2@10.0.3.14/spxk", trim: all }',
      ),
    );
    expect(problems.map((p) => p.path)).toContain('sources.market-food.url');
    expect(formatConfigError(error)).not.toContain('q8Zr');
  });

  it('an ordinary value still names the text it could not read', async () => {
    const { problems } = await problemsOf(
      VALID_CONFIG.replace('prefix: licbridge-demo', 'prefix: "lb${demo}"'),
    );
    expect(problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining('unknown reference `${demo}`'),
    );
  });
});
