/**
 * Two codes of one table written `01` and `1` (or `0012` and `12`, `1.0` and `1`) are read by YAML
 * as one number: the file was refused with `Map keys must be unique` at the second, beside two
 * keys that read differently on screen. The problem now says what YAML read both as, and to quote
 * codes to keep them apart.
 */
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../catalog/yaml-source.js';

const problems = (text: string): string[] =>
  parseYamlSource(text, '/maps/m.yaml').problems.map((p) => `${p.line}:${p.column} ${p.message}`);

describe('keys YAML reads as one value', () => {
  it('are named with what YAML read, to be quoted', () => {
    expect(problems('zt:\n  01: a\n  1: b\n')).toEqual([
      '3:3 Map keys must be unique: `01` and `1` are both read by YAML as the number 1; quote codes ("01", "1") to keep them apart',
    ]);
    expect(problems('zt: { 0012: a, 12: b }\n')).toEqual([
      '1:16 Map keys must be unique: `0012` and `12` are both read by YAML as the number 12; quote codes ("0012", "12") to keep them apart',
    ]);
  });

  it('a key written twice alike keeps the plain message', () => {
    expect(problems('zt:\n  a: 1\n  a: 2\n')).toEqual(['3:3 Map keys must be unique']);
    expect(problems('zt:\n  1: 1\n  1: 2\n')).toEqual(['3:3 Map keys must be unique']);
  });
});
