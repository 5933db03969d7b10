import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMapping, compileMappingText } from '../../mappings/compile.js';

function compileError(text: string): ConfigError {
  try {
    compileMappingText(text, '/maps/food.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** 1-based line and column of `needle` in `text`. */
function where(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, column: (lines[line] as string).indexOf(needle) + 1 };
}

describe('compileMappingText: errors at compile time, with file:line:col', () => {
  it('rejects an unknown transform', () => {
    const text = 'fields:\n  number: { from: XKZBH, transform: [trim, titlecase] }\n';
    const error = compileError(text);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: '/maps/food.yaml', ...where(text, 'titlecase') });
    expect(error.problems[0]?.message).toContain('unknown transform `titlecase`');
    expect(error.message).toContain(`/maps/food.yaml:2:${where(text, 'titlecase').column}`);
  });

  it('rejects a bad transform argument', () => {
    const text = [
      'fields:',
      '  validFrom:',
      '    from: FZRQ',
      '    transform:',
      '      - trim',
      '      - { date: [yyyyMMdd, YYYY-MM-DD] }',
      '  surface.code: { from: X, transform: [{ pad: { length: 0, char: "0" } }] }',
      '  surface.items: { from: Y, transform: [{ replace: ["(", ""] }] }',
      '  surface.z: { from: Z, transform: [{ split: "" }] }',
    ].join('\n');
    const error = compileError(text);
    expect(error.problems.map((p) => p.line)).toEqual([6, 7, 8, 9]);
    expect(error.problems[0]?.message).toContain('unknown token `Y`');
    expect(error.problems[1]?.message).toContain('length');
    expect(error.problems[2]?.message).toContain('invalid regular expression');
  });

  it('rejects a transform missing its argument, or given one it does not take', () => {
    const text =
      'fields:\n  validFrom: { from: FZRQ, transform: [date] }\n  number: { from: A, transform: [{ trim: 1 }] }\n';
    const error = compileError(text);
    expect(error.problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('rejects an unknown rule key at the key', () => {
    const text = 'fields:\n  number: { from: XKZBH, transfrom: [trim] }\n';
    const error = compileError(text);
    expect(error.problems[0]).toMatchObject(where(text, 'transfrom'));
    expect(error.problems[0]?.message).toContain('unknown rule key `transfrom`');
  });

  it('rejects rules with both or neither of from and const', () => {
    const text = 'fields:\n  number: { from: A, const: x }\n  holder.name: { transform: [trim] }\n';
    expect(compileError(text).problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('rejects unknown output paths and clashing paths', () => {
    const text =
      'fields:\n  hodler.name: { from: A }\n  surface.a: { from: B }\n  surface.a.b: { from: C }\n';
    const error = compileError(text);
    expect(error.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 3],
      [4, 3],
    ]);
    expect(error.problems[0]?.message).toContain('unknown output path `hodler.name`');
  });

  it('rejects prototype-polluting paths', () => {
    expect(compileError('fields:\n  surface.__proto__: { from: A }\n').problems[0]?.line).toBe(2);
  });

  it('rejects fallback without lookup, a non-boolean required and unknown top-level keys', () => {
    const text = 'field: {}\nfields:\n  status: { from: ZT, fallback: valid, required: yes }\n';
    const error = compileError(text);
    expect(error.problems.map((p) => p.line)).toEqual([1, 3, 3]);
  });

  it('rejects YAML syntax errors and duplicate keys with positions', () => {
    expect(compileError('fields:\n  number: { from: A\n').problems[0]?.file).toBe('/maps/food.yaml');
    const dup = compileError('fields:\n  number: { from: A }\n  number: { from: B }\n');
    expect(dup.problems[0]?.line).toBe(3);
  });

  it('reports an unreadable file as a ConfigError', async () => {
    await expect(compileMapping('/nonexistent/map.yaml')).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('compileMappingText: results', () => {
  it('versions by file text and lists fields and columns', () => {
    const a = compileMappingText(
      'fields:\n  number: { from: A }\n  holder.idType: { const: "001" }\n',
      'a.yaml',
    );
    const b = compileMappingText(
      'fields:\n  number: { from: B }\n  holder.idType: { const: "001" }\n',
      'a.yaml',
    );
    expect(a.version).toMatch(/^[0-9a-f]{64}$/);
    expect(a.version).not.toBe(b.version);
    expect(a.fields).toEqual(['number', 'holder.idType']);
    expect(a.columns).toEqual(['A']);
    expect(a.origins.number).toEqual({ column: 'A', location: 'a.yaml:2' });
  });

  it("compiles DESIGN.md's example mapping as written", () => {
    const text = [
      'fields:',
      '  number:        { from: XKZBH, transform: [trim, halfWidth, upper] }',
      '  holder.name:   { from: JYZMC, transform: [trim] }',
      '  holder.idType: { const: "001" }',
      '  holder.id:     { from: TYSHXYDM, transform: [trim, upper] }',
      '  validFrom:     { from: FZRQ, transform: [{ date: [yyyyMMdd, yyyy-MM-dd, yyyy/M/d] }] }',
      '  validTo:       { from: YXQZ, transform: [{ date: [yyyyMMdd, yyyy-MM-dd] }] }',
      '  status:        { from: ZT, lookup: { "1": valid, "2": suspended, "0": revoked }, default: valid }',
      '  surface.businessItems: { from: JYXM, transform: [{ split: "；" }] }',
    ].join('\n');
    const m = compileMappingText(text, 'design.yaml');
    const r = m.map({
      XKZBH: 'jy1 ',
      JYZMC: 'a',
      TYSHXYDM: 'b',
      FZRQ: '2021/3/5',
      YXQZ: '00000000',
      ZT: null,
      JYXM: 'x；y',
    });
    expect(r).toEqual({
      ok: true,
      fields: {
        number: 'JY1',
        holder: { name: 'a', idType: '001', id: 'B' },
        validFrom: '2021-03-05',
        validTo: null,
        status: 'valid',
        surface: { businessItems: ['x', 'y'] },
      },
    });
  });
});
