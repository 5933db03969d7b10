/**
 * Mapping test files (`*.test.yaml`): every parse problem with its message and place, and every
 * verdict a case can get when run against a mapping alone. Lines and columns are those of the
 * small texts below; the verdict texts are the documented ones (docs/mapping-language.md).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const FILE = '/maps/food.test.yaml';
const problems = (text: string): string[] => {
  try {
    parseMappingTestFile(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  throw new Error('expected a ConfigError');
};
const CASE = 'cases:\n  - { name: a, expect: { fields: {} } }\n';

describe('parsing a mapping test file', () => {
  it('defaults: the mapping beside the file, pipeline mapping-test, keys by position', () => {
    const t = parseMappingTestFile(`${CASE}  - { name: b, key: 7, expect: { failures: [LB_X] } }\n`, FILE);
    // Strict: what is not given is absent, not a key holding undefined.
    expect(t).toStrictEqual({
      file: FILE,
      mapping: './food.yaml',
      pipeline: 'mapping-test',
      cases: [
        { name: 'a', line: 2, key: '1', values: {}, fields: {} },
        { name: 'b', line: 3, key: '7', values: {}, failures: [{ code: 'LB_X' }] },
      ],
    });
    expect(parseMappingTestFile(CASE, '/maps/x.test.yml').mapping).toBe('./x.yaml');
    // Only the ending names the mapping.
    expect(parseMappingTestFile(CASE, '/maps/x.test.yml.test.yaml').mapping).toBe('./x.test.yml.yaml');
  });

  it('everything given: catalog, issuer, today (quoted or not), shared row merged into each case', () => {
    const text = [
      'mapping: ./m.yaml',
      'catalog: ../catalog',
      'licenseType: T',
      'issuer: { name: n, code: c }',
      'areaCode: "370211"',
      'pipeline: p',
      'today: 2025-01-31',
      'row: { A: 1, B: x, C: { bytes: "00ff" } }',
      'cases:',
      '  - name: a',
      '    row: { B: y, D: null, E: true }',
      '    expect: { failures: [LB_A, { code: LB_B, path: surface.x, column: A }, { code: LB_C }] }',
    ].join('\n');
    const t = parseMappingTestFile(text, FILE);
    expect(t).toMatchObject({
      mapping: './m.yaml',
      catalog: '../catalog',
      licenseType: 'T',
      issuer: { name: 'n', code: 'c' },
      areaCode: '370211',
      pipeline: 'p',
      today: '2025-01-31',
    });
    expect(t.cases[0]?.values).toEqual({ A: 1, B: 'y', C: Uint8Array.from([0, 255]), D: null, E: true });
    expect(t.cases[0]?.failures).toStrictEqual([
      { code: 'LB_A' },
      { code: 'LB_B', path: 'surface.x', column: 'A' },
      { code: 'LB_C' },
    ]);
    expect(parseMappingTestFile(`today: "2025-01-31"\n${CASE}`, FILE).today).toBe('2025-01-31');
  });

  it('every problem, located', () => {
    expect(problems('- a\n')).toEqual(['1:1 expected a map with `cases:`']);
    expect(problems(`colour: red\n${CASE}`)).toEqual([
      '1:1 unknown key `colour`; expected mapping, catalog, licenseType, issuer, areaCode, pipeline, today, timeZone, expiry, row, cases',
    ]);
    expect(problems(`pipeline: 5\n${CASE}`)).toEqual(['1:11 expected `pipeline` to be text']);
    expect(problems(`today: 2025-02-30\n${CASE}`)).toEqual([
      '1:8 expected `today` to be a date YYYY-MM-DD, got `2025-02-30`',
    ]);
    expect(problems(`issuer: { name: n }\n${CASE}`)).toEqual(['1:9 expected `issuer` to be { name, code }']);
    expect(problems(`catalog: c\n${CASE}`)).toEqual([
      '1:10 a test with `catalog` also needs `licenseType` and `issuer`',
    ]);
    expect(problems(`catalog: c\nlicenseType: T\n${CASE}`)).toEqual([
      '1:10 a test with `catalog` also needs `licenseType` and `issuer`',
    ]);
    expect(problems('cases: []\n')).toEqual(['1:8 expected `cases:` to list test cases']);
    expect(problems('row: {}\n')).toEqual(['1:1 expected `cases:` to list test cases']);
    expect(problems(`row: [1]\n${CASE}`)).toEqual(['1:6 expected `row` to map columns to values']);
    expect(problems(`row: { A: [1], B: { bytes: "0g" }, C: { bytes: "0" } }\n${CASE}`)).toEqual([
      '1:11 expected a plain value, or { bytes: <hex> }',
      '1:19 expected a plain value, or { bytes: <hex> }',
      '1:39 expected a plain value, or { bytes: <hex> }',
    ]);
  });

  it('every problem of a case, located', () => {
    const one = (c: string) => problems(`cases:\n  - ${c}\n`);
    expect(one('x')).toEqual(['2:5 expected a case with `name`, `row` and `expect`']);
    expect(one('{ name: 5, expect: { fields: {} } }')).toEqual([
      '2:5 expected a case with `name`, `row` and `expect`',
    ]);
    expect(one('{ name: a, expect: { fields: {} }, extra: 1 }')).toEqual([
      '2:40 unknown key `extra`; expected name, key, row, expect',
    ]);
    const exactlyOne = '2:5 expected `expect:` with exactly one of `fields` or `failures`';
    expect(one('{ name: a }')).toEqual([exactlyOne]);
    expect(one('{ name: a, expect: {} }')).toEqual([exactlyOne]);
    expect(one('{ name: a, expect: { fields: {}, failures: [X] } }')).toEqual([exactlyOne]);
    expect(one('{ name: a, expect: [] }')).toEqual([exactlyOne]);
    expect(one('{ name: a, expect: { fields: {}, other: 1 } }')).toEqual([
      '2:38 unknown key `other`; expected fields, failures',
    ]);
    expect(one('{ name: a, expect: { fields: [1] } }')).toEqual([
      '2:34 expected `fields` to map license paths to values',
    ]);
    expect(one('{ name: a, expect: { failures: [] } }')).toEqual([
      '2:36 expected `failures` to list codes, e.g. [LB_MAP_DATE]',
    ]);
    expect(one('{ name: a, expect: { failures: X } }')).toEqual([
      '2:36 expected `failures` to list codes, e.g. [LB_MAP_DATE]',
    ]);
    expect(one('{ name: a, expect: { failures: [5] } }')).toEqual([
      '2:37 expected a code, or { code, path?, column? }',
    ]);
    expect(one('{ name: a, expect: { failures: [{ code: X, at: y }] } }')).toEqual([
      '2:48 unknown key `at`; expected code, path, column',
    ]);
  });
});

describe('running cases against a mapping alone', () => {
  // Compiled inside each test (see compile-edges.test.ts): per-test coverage then sees it.
  const mapping = () =>
    compileMappingText(
      'fields:\n  surface.a: { from: A, required: true }\n  surface.list: { from: L, transform: [{ split: "," }] }\n  surface.d: { when: { column: A, after: today }, const: later }\n',
      '/maps/m.yaml',
    );
  // The mapping compares with today: a test file must pin the day (mapping-test-today-unpinned).
  const run = (cases: string, head = 'today: 2000-01-01\n') =>
    runMappingTests(parseMappingTestFile(`${head}cases:\n${cases}`, FILE), mapping()).map((r) =>
      r.passed ? 'pass' : r.messages,
    );

  it('fields compared by path, lists by index, absent shown as such', () => {
    expect(
      run(
        '  - { name: a, row: { A: x, L: "p,q" }, expect: { fields: { surface.a: x, "surface.list[1]": q, surface.list.0: p } } }',
      ),
    ).toEqual(['pass']);
    expect(
      run(
        '  - { name: a, row: { A: x, L: "p" }, expect: { fields: { surface.a: y, "surface.list[1]": q, surface.a.b: 1 } } }',
      ),
    ).toEqual([
      [
        'surface.a: expected "y", got "x"',
        'surface.list[1]: expected "q", got (absent)',
        'surface.a.b: expected 1, got (absent)',
      ],
    ]);
  });

  it('expected failures: the same codes (with path and column when given), in any order', () => {
    const row = '{ A: "", L: "" }';
    expect(run(`  - { name: a, row: ${row}, expect: { failures: [LB_MAP_REQUIRED] } }`)).toEqual(['pass']);
    expect(
      run(
        `  - { name: a, row: ${row}, expect: { failures: [{ code: LB_MAP_REQUIRED, path: surface.a, column: A }] } }`,
      ),
    ).toEqual(['pass']);
    expect(
      run(`  - { name: a, row: ${row}, expect: { failures: [{ code: LB_MAP_REQUIRED, path: surface.b }] } }`),
    ).toEqual([['expected failures LB_MAP_REQUIRED at surface.b', 'got LB_MAP_REQUIRED at surface.a']]);
    expect(
      run(`  - { name: a, row: ${row}, expect: { failures: [{ code: LB_MAP_REQUIRED, column: B }] } }`),
    ).toEqual([['expected failures LB_MAP_REQUIRED', 'got LB_MAP_REQUIRED at surface.a']]);
    expect(
      run(`  - { name: a, row: ${row}, expect: { failures: [LB_MAP_REQUIRED, LB_MAP_REQUIRED] } }`),
    ).toEqual([['expected failures LB_MAP_REQUIRED, LB_MAP_REQUIRED', 'got LB_MAP_REQUIRED at surface.a']]);
    expect(run('  - { name: a, row: { A: x, L: "" }, expect: { failures: [LB_X, LB_Y] } }')).toEqual([
      ['expected failures LB_X, LB_Y, but the row mapped'],
    ]);
    expect(
      run('  - { name: a, row: { L: "" }, expect: { failures: [LB_MAP_COLUMN, LB_MAP_COLUMN] } }'),
    ).toEqual(['pass']);
  });

  it('a row that should map but does not: the reasons, each with its place', () => {
    expect(run('  - { name: a, row: { A: "", L: "" }, expect: { fields: {} } }')).toEqual([
      [
        'expected the row to map, got LB_MAP_REQUIRED at surface.a',
        '  LB_MAP_REQUIRED: mapping: surface.a: value is required but empty (/maps/m.yaml:2)',
      ],
    ]);
  });

  it('today pinned by the file reaches `when`', () => {
    const row = '{ A: "20250201", L: "" }';
    expect(
      run(`  - { name: a, row: ${row}, expect: { fields: { surface.d: later } } }`, 'today: 2025-01-31\n'),
    ).toEqual(['pass']);
    expect(
      run(`  - { name: a, row: ${row}, expect: { fields: { surface.d: later } } }`, 'today: 2025-02-01\n'),
    ).toEqual([['surface.d: expected "later", got (absent)']]);
  });
});

describe('parsing a mapping test file: more problems', () => {
  const paths = (text: string, file = FILE): string[] => {
    try {
      parseMappingTestFile(text, file);
    } catch (e) {
      return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.path}`);
    }
    throw new Error('expected a ConfigError');
  };

  it('a YAML syntax problem stops the parse, located', () => {
    const found = problems(`pipeline: a\npipeline: b\n${CASE}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^2:1 Map keys must be unique/);
  });

  it('file-level problems carry the path of the key, or none for the document', () => {
    expect(paths('- a\n')).toEqual(['1:1 ']);
    expect(paths('row: {}\n')).toEqual(['1:1 ']);
    expect(paths(`${CASE}colour: red\n`)).toEqual(['3:1 colour']);
  });

  it('null where a map belongs is refused, not read', () => {
    expect(problems(`row: ~\n${CASE}`)).toEqual(['1:6 expected `row` to map columns to values']);
    expect(problems(`issuer: ~\n${CASE}`)).toEqual(['1:9 expected `issuer` to be { name, code }']);
    expect(problems('cases:\n  - ~\n')).toEqual(['2:5 expected a case with `name`, `row` and `expect`']);
  });

  it('issuer needs both name and code; catalog needs licenseType even with an issuer', () => {
    expect(problems(`issuer: { code: c }\n${CASE}`)).toEqual(['1:9 expected `issuer` to be { name, code }']);
    expect(problems(`catalog: c\nissuer: { name: n, code: c }\n${CASE}`)).toEqual([
      '1:10 a test with `catalog` also needs `licenseType` and `issuer`',
    ]);
  });

  it('a file written as YAML 1.1 reads an unquoted `today` as a timestamp: the day is kept', () => {
    expect(parseMappingTestFile(`%YAML 1.1\n---\ntoday: 2025-01-31\n${CASE}`, FILE).today).toBe('2025-01-31');
  });

  it('a `today` that is not text is one problem', () => {
    expect(problems(`today: 5\n${CASE}`)).toEqual(['1:8 expected `today` to be text']);
  });

  it('bytes must be hex text; a failure object must name its code', () => {
    expect(problems(`row: { C: { bytes: 12 } }\n${CASE}`)).toEqual([
      '1:11 expected a plain value, or { bytes: <hex> }',
    ]);
    expect(problems('cases:\n  - { name: a, expect: { failures: [{ path: x }] } }\n')).toEqual([
      '2:37 expected a code, or { code, path?, column? }',
    ]);
  });

  it('a bad value in a case row is located in that row', () => {
    expect(problems('cases:\n  - { name: a, row: { A: [1] }, expect: { fields: {} } }\n')).toEqual([
      '2:26 expected a plain value, or { bytes: <hex> }',
    ]);
  });
});

describe('running cases against a mapping alone: more verdicts', () => {
  const mapping = () =>
    compileMappingText(
      'fields:\n  surface.a: { from: A, required: true }\n  surface.list: { from: L, transform: [{ split: "," }] }\n  surface.d: { when: { column: A, after: today }, const: later }\n',
      '/maps/m.yaml',
    );
  const run = (cases: string) =>
    runMappingTests(parseMappingTestFile(`today: 2000-01-01\ncases:\n${cases}`, FILE), mapping()).map((r) =>
      r.passed ? 'pass' : r.messages,
    );

  it('list indexes of more than one digit', () => {
    expect(
      run(
        '  - { name: a, row: { A: x, L: "a,b,c,d,e,f,g,h,i,j,k" }, expect: { fields: { "surface.list[10]": k } } }',
      ),
    ).toEqual(['pass']);
  });

  it('a path through null, text or an absent value finds nothing', () => {
    expect(
      run(
        '  - { name: a, row: { A: x, L: null }, expect: { fields: { surface.list.0: p, surface.a.length: 1, surface.d.x: 1 } } }',
      ),
    ).toEqual([
      [
        'surface.list.0: expected "p", got (absent)',
        'surface.a.length: expected 1, got (absent)',
        'surface.d.x: expected 1, got (absent)',
      ],
    ]);
  });

  it('failures must match one for one: not fewer, not other codes', () => {
    const got = 'got LB_MAP_COLUMN at surface.a, LB_MAP_COLUMN at surface.d';
    const row = '{ L: "" }';
    expect(run(`  - { name: a, row: ${row}, expect: { failures: [LB_MAP_COLUMN] } }`)).toEqual([
      ['expected failures LB_MAP_COLUMN', got],
    ]);
    expect(run(`  - { name: a, row: ${row}, expect: { failures: [LB_MAP_COLUMN, LB_X] } }`)).toEqual([
      ['expected failures LB_MAP_COLUMN, LB_X', got],
    ]);
    expect(run(`  - { name: a, row: ${row}, expect: { failures: [LB_X, LB_Y] } }`)).toEqual([
      ['expected failures LB_X, LB_Y', got],
    ]);
  });
});
