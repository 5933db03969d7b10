/**
 * An anchor on a value that no alias uses stays refused, not warned of: YAML cannot tell
 * `&demo licbridge` (an anchor nobody aliases, harmless) from `&Gx9 k2` (a password starting with
 * `&`, read as the anchor `Gx9` on `k2`) or `&Co Ltd` (a constant read as `Ltd`), and a warning
 * would let those load as the rest of themselves. The problem names the file, the line and the
 * anchor; a secret's anchor is not named, being the secret's first characters.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

describe('an anchor no alias uses', () => {
  it('is refused at its file and line, naming the anchor', async () => {
    const text = VALID_CONFIG.replace('prefix: licbridge-demo', 'prefix: &demo licbridge-demo');
    expect(text).not.toBe(VALID_CONFIG);
    const { error, problems, file } = await problemsOf(text);
    const line = positionOf(text, '&demo').line;
    expect(problems.map((p) => [p.path, p.line])).toEqual([['queue.prefix', line]]);
    expect(problems[0]?.message).toContain('the anchor `&demo`');
    expect(formatConfigError(error)).toMatch(
      new RegExp(`^${file}:${line}:\\d+: queue\\.prefix: .*\`&demo\``),
    );
  });

  it('on a number too (`pageSize: &size 500`)', async () => {
    const text = VALID_CONFIG.replace('trim: all }', 'trim: all, pageSize: &size 500 }');
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['sources.market-food.pageSize', positionOf(text, '&size').line],
    ]);
    expect(problems[0]?.message).toContain('the anchor `&size`');
  });
});
