/**
 * Positions in YAML files, worked out by hand on the small documents below (lines and columns
 * from 1, as editors show them), and JSON pointers as RFC 6901 defines them (~1 is '/', ~0 is '~',
 * decoded in that order).
 */
import { describe, expect, it } from 'vitest';
import { findKey, parseYamlSource, pointerToPath, positionOf, problemAt } from '../../catalog/yaml-source.js';
import { ConfigError } from '../../core/errors.js';
import { unknownAliasMessage } from '../../core/yaml-anchors.js';
import { compileMappingText } from '../../mappings/compile.js';

const TEXT = [
  'code: abc', // line 1
  'surface:', // 2
  '  type: object', // 3
  '  properties:', // 4
  '    premises: { type: string, minLenght: 1 }', // 5
  'list:', // 6
  '  - first', // 7
  '  - name: second', // 8
  '    minLenght: 2', // 9
  '1: numeric key', // 10
  'empty:', // 11
].join('\n');

describe('positions', () => {
  const src = parseYamlSource(TEXT, 'entry.yaml');

  it('a value, or its key when asked', () => {
    expect(src.problems).toEqual([]);
    expect(positionOf(src, ['code'])).toEqual({ line: 1, column: 7 });
    expect(positionOf(src, ['code'], true)).toEqual({ line: 1, column: 1 });
    expect(positionOf(src, ['surface', 'type'])).toEqual({ line: 3, column: 9 });
    expect(positionOf(src, ['surface', 'type'], true)).toEqual({ line: 3, column: 3 });
    // `key` applies to the last segment only: the parent's value is followed.
    expect(positionOf(src, ['surface', 'properties', 'premises'], true)).toEqual({ line: 5, column: 5 });
  });

  it('list items by index; numeric keys by their text', () => {
    expect(positionOf(src, ['list', 0])).toEqual({ line: 7, column: 5 });
    expect(positionOf(src, ['list', 1, 'name'])).toEqual({ line: 8, column: 11 });
    expect(positionOf(src, [1])).toEqual({ line: 10, column: 4 });
  });

  it('the deepest node found when the path goes further', () => {
    // No such key: the map holding the search.
    expect(positionOf(src, ['surface', 'nope'])).toEqual({ line: 3, column: 3 });
    // No such index: the list.
    expect(positionOf(src, ['list', 5])).toEqual({ line: 7, column: 3 });
    // A string index into a list, or a path through a scalar: stop there.
    expect(positionOf(src, ['list', 'x'])).toEqual({ line: 7, column: 3 });
    expect(positionOf(src, ['code', 'x'])).toEqual({ line: 1, column: 7 });
    expect(positionOf(src, ['code', 0])).toEqual({ line: 1, column: 7 });
    // A key with no value: yaml gives it an empty (null) value, placed right after the colon.
    expect(positionOf(src, ['empty'])).toEqual({ line: 11, column: 7 });
  });

  it('findKey: the first key of that name under the path, in document order', () => {
    expect(findKey(src, ['surface'], 'minLenght')).toEqual({ line: 5, column: 31 });
    expect(findKey(src, ['list'], 'minLenght')).toEqual({ line: 9, column: 5 });
    expect(findKey(src, [], 'name')).toEqual({ line: 8, column: 5 });
    expect(findKey(src, ['surface'], 'name')).toBeUndefined();
    expect(findKey(src, ['code'], 'code')).toBeUndefined();
  });

  it('problemAt: file, position, dotted path and message', () => {
    expect(problemAt(src, ['list', 1, 'name'], 'bad')).toEqual({
      file: 'entry.yaml',
      line: 8,
      column: 11,
      path: 'list.1.name',
      message: 'bad',
    });
    expect(problemAt(src, ['code'], 'm', true)).toMatchObject({ line: 1, column: 1, path: 'code' });
  });
});

describe('an empty document', () => {
  it('has every position at its start', () => {
    const empty = parseYamlSource('', 'e.yaml');
    expect(positionOf(empty, [])).toEqual({ line: 1, column: 1 });
    expect(positionOf(empty, ['a', 0])).toEqual({ line: 1, column: 1 });
    expect(findKey(empty, [], 'a')).toBeUndefined();
  });
});

describe('syntax problems', () => {
  it('a repeated key and a syntax error are located, first line of the message only', () => {
    const dup = parseYamlSource('a: 1\nb: 2\na: 3\n', 'd.yaml');
    expect(dup.problems).toHaveLength(1);
    expect(dup.problems[0]).toMatchObject({ file: 'd.yaml', line: 3, column: 1, path: '' });
    expect(dup.problems[0]?.message).not.toContain('\n');
    expect(dup.problems[0]?.message).toMatch(/unique/i);
    const bad = parseYamlSource('a: [1, 2\n', 'b.yaml');
    expect(bad.problems.length).toBeGreaterThan(0);
    expect(bad.problems[0]?.file).toBe('b.yaml');
  });
});

describe('pointerToPath (RFC 6901)', () => {
  it('splits, unescapes, and turns array indexes into numbers', () => {
    expect(pointerToPath('')).toEqual([]);
    expect(pointerToPath('/surface/premises')).toEqual(['surface', 'premises']);
    expect(pointerToPath('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
    expect(pointerToPath('/items/0/x/12')).toEqual(['items', 0, 'x', 12]);
    // Not indexes: a leading zero, a sign, a blank.
    expect(pointerToPath('/01/-1/ /1a')).toEqual(['01', '-1', ' ', '1a']);
    expect(pointerToPath('/')).toEqual(['']);
    expect(pointerToPath('/a/5/123')).toEqual(['a', 5, 123]);
  });
});

describe('aliases', () => {
  it('an alias naming no anchor is a located problem, not a ReferenceError later', () => {
    const src = parseYamlSource('a: 1\nfields: *x\nb: &y 2\nc: *y\n', 'm.yaml');
    expect(src.problems).toEqual([
      { file: 'm.yaml', line: 2, column: 9, path: '', message: unknownAliasMessage('x', false) },
    ]);
    // An alias used before its anchor names none either (YAML resolves aliases backwards only).
    expect(parseYamlSource('c: *y\nb: &y 2\n', 'm.yaml').problems.map((p) => p.line)).toEqual([1]);
    expect(parseYamlSource('b: &y 2\nc: *y\n', 'm.yaml').problems).toEqual([]);
    expect(parseYamlSource('b: &y 2\nc: *y\n', 'm.yaml').doc.toJS()).toEqual({ b: 2, c: 2 });
  });

  it('a mapping file with one fails to compile naming its line', () => {
    let thrown: unknown;
    try {
      compileMappingText('description: x\nfields: *x\n', 'm.yaml');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      `2:9 ${unknownAliasMessage('x', false)}`,
    ]);
  });
});
