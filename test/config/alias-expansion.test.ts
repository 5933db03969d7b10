/**
 * Aliases are expanded where they stand (`*base` for a whole value), so nine aliases of nine
 * aliases of … nine values — a few lines of YAML — are tens of millions of values: the depth
 * guard let them through, and `config check` on such a file ran for minutes at full CPU instead
 * of saying what is wrong.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import { ConfigError } from '../../core/errors.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

function bomb(levels: number): string {
  let text = 'x0: &a0 [v, v, v, v, v, v, v, v, v]\n';
  for (let i = 1; i < levels; i++)
    text += `x${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return text;
}

const FILE = '/etc/licbridge/licbridge.yaml';
const REUSED =
  'ledger: &l { url: "sqlite://:memory:" }\ncatalog: ./catalog\nsources: { a: &s { kind: sqlite, path: ./a.db }, b: *s }\n';

describe('aliases that expand to too many values', () => {
  // The validator is compiled on first use when tests run from the sources: done before.
  beforeAll(() => parseConfig(REUSED, { file: FILE, env: {} }));

  // No timing is asserted: the problem at the alias is what shows the expansion stopped there
  // (without the limit, eight levels of aliases ran for minutes, past the test's timeout).
  it('are refused at once, at the alias where the expansion passes the limit', () => {
    let error: unknown;
    try {
      parseConfig(bomb(8), { file: FILE, env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.filter((p) => /aliases expand to more than/.test(p.message))).toHaveLength(1);
    const problem = problems.find((p) => /aliases expand to more than/.test(p.message));
    expect(problem?.line).toBeGreaterThan(1);
  });

  it('an alias reused as configs reuse them is read as the value it names', () => {
    const config = parseConfig(REUSED, { file: FILE, env: {} });
    expect(config.sources.b).toEqual(config.sources.a);
  });
});
