/**
 * A catalog value that must be text written unquoted as digits — a credit code of digits only, a
 * related item's code `0012` — was refused with ajv's `must be string` beside a file showing the
 * code; YAML had read a number (an 18-digit one losing its last digits). The problem now shows what
 * was written and what YAML read, and says to quote it.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';

const TEXT = [
  'code: 11370200MB12345674001',
  'name: T',
  'defineAuthority:',
  '  name: A',
  '  code: 113702000000000001',
  'holderCategory: both',
  'relatedItems: [{ name: x, code: 0012 }]',
  'surface:',
  '  type: object',
].join('\n');

describe('text written unquoted that YAML reads as a number', () => {
  it('is named as written and as read, to be quoted', () => {
    let problems: string[] = [];
    try {
      buildCatalog([{ file: '/c/0.yaml', text: TEXT }]);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      problems = (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`);
    }
    expect(problems).toEqual([
      '5:9 defineAuthority.code must be text: `113702000000000001` unquoted is read by YAML as the number 113702000000000000; quote it ("113702000000000001")',
      '7:33 relatedItems.0.code must be text: `0012` unquoted is read by YAML as the number 12; quote it ("0012")',
    ]);
  });
});
