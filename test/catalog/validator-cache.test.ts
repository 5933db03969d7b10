/**
 * Compiled License validators shared by schema text (catalog/validator-cache.ts): a catalog built
 * again from the same entries reuses the compiled code, and nothing a build reports changes.
 */
import type { ValidateFunction } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { CACHED_SCHEMAS, type CompiledSchema, compiledFor } from '../../catalog/validator-cache.js';
import type { ConfigError } from '../../core/errors.js';
import { DEMO_TYPE, demoEntryText, demoLicense } from './fixtures.js';

// The cache this file counts starts empty, as in a fresh process: not the one the unit files of a
// worker share (test/support/shared-validators.ts).
vi.unmock('../../catalog/validator-cache.js');

/** A compile that counts its calls and returns fresh (distinguishable) functions. */
function counting() {
  let calls = 0;
  const compile = (): CompiledSchema => {
    calls += 1;
    const fn = (() => true) as unknown as ValidateFunction;
    return { validator: fn, quick: fn };
  };
  return { compile, calls: () => calls };
}

describe('compiled validators shared by schema text', () => {
  it('compiles a schema once: equal text, even in another object, gets the first compile', () => {
    const c = counting();
    const first = compiledFor({ type: 'object', properties: { a: { maxLength: 3 } } }, c.compile);
    const again = compiledFor({ type: 'object', properties: { a: { maxLength: 3 } } }, c.compile);
    expect(again).toBe(first);
    expect(c.calls()).toBe(1);
  });

  it('compiles again when any value or the key order differs', () => {
    const c = counting();
    const a = compiledFor({ type: 'object', properties: { b: { maxLength: 3 } } }, c.compile);
    const b = compiledFor({ type: 'object', properties: { b: { maxLength: 4 } } }, c.compile);
    const d = compiledFor({ properties: { b: { maxLength: 3 } }, type: 'object' }, c.compile);
    expect(new Set([a, b, d]).size).toBe(3);
    expect(c.calls()).toBe(3);
  });

  it.each([
    ['an id', { $id: 'https://example.org/s', type: 'object' }],
    ['a reference', { type: 'object', properties: { x: { $ref: '#/definitions/x' } } }],
    ['an anchor', { type: 'object', properties: { x: { $anchor: 'x' } } }],
    ['a number JSON cannot hold', { type: 'number', maximum: Number.POSITIVE_INFINITY }],
    ['a value JSON cannot hold', { type: 'string', default: new Date(0) }],
  ])('compiles a schema with %s every time', (_what, schema) => {
    const c = counting();
    compiledFor(schema, c.compile);
    compiledFor(schema, c.compile);
    expect(c.calls()).toBe(2);
  });

  it('keeps nothing from a compile that throws: the next build fails the same way', () => {
    let calls = 0;
    const failing = (): CompiledSchema => {
      calls += 1;
      throw new Error('strict mode: unknown keyword: "minLenght"');
    };
    const schema = { type: 'string', minLenght: 1 };
    expect(() => compiledFor(schema, failing)).toThrow('minLenght');
    expect(() => compiledFor(schema, failing)).toThrow('minLenght');
    expect(calls).toBe(2);
  });

  it(`keeps the ${CACHED_SCHEMAS} schemas used last, not every one ever compiled`, () => {
    const c = counting();
    const schema = (i: number) => ({ type: 'string', maxLength: 1000 + i });
    for (let i = 0; i <= CACHED_SCHEMAS; i++) compiledFor(schema(i), c.compile);
    expect(c.calls()).toBe(CACHED_SCHEMAS + 1);
    compiledFor(schema(CACHED_SCHEMAS), c.compile); // still held
    compiledFor(schema(1), c.compile); // still held, now used last
    expect(c.calls()).toBe(CACHED_SCHEMAS + 1);
    compiledFor(schema(0), c.compile); // the oldest went when the limit was passed
    expect(c.calls()).toBe(CACHED_SCHEMAS + 2);
    compiledFor(schema(1), c.compile); // used last before schema(0) came back: kept
    expect(c.calls()).toBe(CACHED_SCHEMAS + 2);
  });
});

describe('a catalog built again from the same entry', () => {
  it('validates as the first build did, and names its own file in the id type hint', async () => {
    const text = await demoEntryText();
    const first = buildCatalog([{ file: '/a/food.yaml', text }]);
    const second = buildCatalog([{ file: '/b/food.yaml', text }]);
    const person = { name: '王小二', idType: '111', id: '370211198005123414' };
    const wrong = { ...demoLicense(), holder: person };
    expect(second.validate(demoLicense())).toEqual(first.validate(demoLicense()));
    expect(first.validate(wrong)[0]?.message).toContain(`${DEMO_TYPE}`);
    expect(first.validate(wrong)[0]?.message).toContain('/a/food.yaml');
    expect(second.validate(wrong)[0]?.message).toContain('/b/food.yaml');
    const blank = { ...demoLicense(), number: '' };
    expect(second.validate(blank)).toEqual(first.validate(blank));
    expect(second.validate(blank).map((r) => r.path)).toContain('number');
  });

  it('refuses a surface ajv cannot compile on every build, at the same line', async () => {
    const text = (await demoEntryText()).replace('maxLength: 64', 'maxLenght: 64');
    const problems = () => {
      try {
        buildCatalog([{ file: '/c/food.yaml', text }]);
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };
    const first = problems();
    expect(first).toHaveLength(1);
    expect(first[0]?.message).toContain('maxLenght');
    expect(problems()).toEqual(first);
  });
});
