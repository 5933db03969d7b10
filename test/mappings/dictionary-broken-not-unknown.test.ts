/**
 * A dictionary whose file is refused (a code listed twice, not readable, a YAML error) is reported
 * at that file's line; the rule looking it up then also said `unknown dictionary \`zt\`; defined: …`,
 * naming a dictionary the mapping does define as missing and sending its writer looking for a typo
 * in the name. Only the dictionary's own problems are reported; a name no `dictionaries:` entry
 * holds is still unknown.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = [
  'dictionaries:',
  '  zt: { file: ./zt.csv }',
  '  lx: { "1": a }',
  'fields:',
  '  surface.zt: { from: ZT, lookup: zt }',
  '  surface.lx: { from: LX, lookup: lxx }',
  '',
].join('\n');

function problems(files: Record<string, string>): string[] {
  try {
    compileMappingText(MAPPING, '/maps/m.yaml', { files: new Map(Object.entries(files)) });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`);
  }
  return [];
}

describe('a dictionary refused for its own problems', () => {
  it('is not also reported as unknown where a rule looks it up', () => {
    expect(problems({ '/maps/zt.csv': 'code,value\n0012,a\n0012,b\n' })).toEqual([
      '/maps/zt.csv:3:1 code `0012` is listed twice (first on line 2)',
      '/maps/m.yaml:6:35 unknown dictionary `lxx`; defined: lx',
    ]);
  });

  it('nor when its file is not readable', () => {
    const got = problems({});
    expect(got.filter((p) => p.includes('`zt`'))).toEqual([]);
    expect(got[0]).toMatch(/^\/maps\/m\.yaml:2:\d+ dictionary file \/maps\/zt\.csv is not readable/);
  });
});
