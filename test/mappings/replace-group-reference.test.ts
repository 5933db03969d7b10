/**
 * `replace`'s replacement names groups as JavaScript does (`$1`, `$<name>`, `$&`, `$$`). A
 * reference to a group the pattern does not have was written into the value as it stands — `$3`
 * with two groups, `$0` (the whole match is `$&`) — or as nothing (`$<nme>` beside a group named
 * `name`): every row's field silently changed. Such a replacement is refused at compile time.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

function compileProblem(pattern: string, replacement: string): string | undefined {
  const text = `fields:\n  number: { from: A, transform: [{ replace: [${JSON.stringify(pattern)}, ${JSON.stringify(replacement)}] }] }\n`;
  try {
    compileMappingText(text, '/m/replace.yaml');
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.line}: ${p.message}`).join('; ');
    throw e;
  }
}

function mapped(pattern: string, replacement: string, value: string): unknown {
  const text = `fields:\n  number: { from: A, transform: [{ replace: [${JSON.stringify(pattern)}, ${JSON.stringify(replacement)}] }] }\n`;
  const out = compileMappingText(text, '/m/replace.yaml').map({ A: value });
  return out.ok ? out.fields.number : out.reasons;
}

describe('replace: references to groups the pattern lacks', () => {
  it('are refused at the rule, naming the reference and the groups there are', () => {
    expect(compileProblem('([0-9]+)-([0-9]+)', '$1$3')).toBe(
      '2: replace: replacement `$1$3` names `$3`, a group the pattern does not have (it has 2 groups); written as it stands into every value: write `$$` for a literal `$`, `$&` for the whole match',
    );
    expect(compileProblem('(?<name>[A-Z]+)', '$<nme>')).toContain(
      'names `$<nme>`, a group the pattern does not have (it has 1 group: name)',
    );
    expect(compileProblem('[0-9]+', 'No.$0')).toContain('names `$0`');
    expect(compileProblem('JY', '$1')).toContain(
      'names `$1`, a group the pattern does not have (it has 0 groups)',
    );
  });

  it('compiles references to groups it has, and literal dollars', () => {
    expect(compileProblem('([0-9]+)-([0-9]+)', '$2/$1 $& $$3')).toBeUndefined();
    expect(compileProblem('(?<y>[0-9]{4})(?<m>[0-9]{2})', '$<y>-$<m>')).toBeUndefined();
    expect(compileProblem('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', '$10$1')).toBeUndefined();
    expect(compileProblem('([0-9]+)', '$01')).toBeUndefined();
    expect(compileProblem('JY', '$$ $< $')).toBeUndefined();
    expect(mapped('([0-9]+)-([0-9]+)', '$2/$1', '12-34')).toBe('34/12');
  });
});
