// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * A reference inside an `${env:NAME:-default}`'s default (`${env:A:-${env:B}}`, as a shell or
 * Compose would read it) is not read: the reference ends at the first `}`. With `A` unset the value
 * was the text `${env:B}` — a Redis URL, a password — loaded without a word. It is refused.
 */
import { describe, expect, it } from 'vitest';
import { resolveRefs } from '../../config/refs.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const ctx = { env: { B: 'bee' }, baseDir: '/tmp' };

describe('a reference inside a default', () => {
  it.each([
    ['${env:A:-${env:B}}', 'A'],
    ['redis://${env:HOST:-${file:./host}}:6379', 'HOST'],
  ])('%s is refused, not loaded as its text', (raw, name) => {
    const r = resolveRefs(raw, ctx);
    expect(r.problems).toEqual([
      `\`\${env:${name}:-…}\`: a default cannot hold a reference (\`\${\` inside \`\${env:…}\` is not read as one); write the default out, or set \`${name}\``,
    ]);
  });

  it('with the variable set too: the reference ended at the first `}`, and the value ended in a stray one', () => {
    const r = resolveRefs('${env:B:-${env:C}}', ctx);
    expect(r.problems).toHaveLength(1);
  });

  it('a default of plain text still reads', () => {
    expect(resolveRefs('${env:A:-redis://127.0.0.1:6379}', ctx).value).toBe('redis://127.0.0.1:6379');
    expect(resolveRefs('${env:B:-x}', ctx).value).toBe('bee');
  });

  it('is a config problem at its line', async () => {
    const text = VALID_CONFIG.replace('appKey: demo', 'appKey: "${env:PROVINCE_APP_KEY:-${env:APP_KEY}}"');
    const { problems } = await problemsOf(text, { APP_KEY: 'demo' });
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['targets.province.auth.appKey', positionOf(text, 'PROVINCE_APP_KEY').line],
    ]);
  });
});
