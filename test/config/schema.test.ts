import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { configSchema, configSchemaJson } from '../../config/schema.js';

type Schema = Record<string, unknown>;

/** Every subschema with the JSON path that reached it. */
function* walk(schema: Schema, path: string): Generator<[string, Schema]> {
  yield [path, schema];
  for (const [name, sub] of Object.entries((schema.properties as Record<string, Schema>) ?? {})) {
    yield* walk(sub, `${path}.properties.${name}`);
  }
  for (const [name, sub] of Object.entries((schema.patternProperties as Record<string, Schema>) ?? {})) {
    yield* walk(sub, `${path}.patternProperties.${name}`);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    for (const [i, sub] of ((schema[key] as Schema[]) ?? []).entries())
      yield* walk(sub, `${path}.${key}[${i}]`);
  }
  if (schema.items && typeof schema.items === 'object') yield* walk(schema.items as Schema, `${path}.items`);
}

const all = [...walk(configSchema as Schema, '#')];

describe('configSchema', () => {
  it('describes every property', () => {
    const properties = all.filter(([path]) => /\.(properties|patternProperties)\.[^.]+$/.test(path));
    expect(properties.length).toBeGreaterThan(50);
    const undescribed = properties.filter(
      ([, s]) => typeof s.description !== 'string' || s.description === '',
    );
    expect(undescribed.map(([p]) => p)).toEqual([]);
  });

  it('closes every object, directly or in each of its variants', () => {
    const open = all.filter(([, s]) => {
      if (s.type !== 'object') return false;
      if (s.additionalProperties === false) return false;
      const variants = s.oneOf as Schema[] | undefined;
      return !variants?.every((v) => v.additionalProperties === false);
    });
    expect(open.map(([p]) => p)).toEqual([]);
  });

  it('declares the documented defaults', () => {
    const at = (path: string) => all.find(([p]) => p === path)?.[1].default;
    const src = '#.properties.sources.patternProperties.^[a-z][a-z0-9-]*$.oneOf[0].properties';
    const tgt = '#.properties.targets.patternProperties.^[a-z][a-z0-9-]*$.oneOf[0].properties';
    expect(at('#.properties.queue.properties.redis')).toBe('redis://127.0.0.1:6379');
    expect(at('#.properties.queue.properties.prefix')).toBe('licbridge');
    expect(at('#.properties.queue.properties.connectTimeoutMs')).toBe(5000);
    expect(at('#.properties.log.properties.level')).toBe('info');
    expect(at(`${src}.trim`)).toBe('all');
    expect(at(`${src}.pageSize`)).toBe(500);
    expect(at('#.properties.signers.patternProperties.^[a-z][a-z0-9-]*$.oneOf[0].properties.distId')).toBe(
      '1234567812345678',
    );
    expect(at(`${tgt}.auth`)).toEqual({ scheme: 'none' });
    expect([
      at(`${tgt}.batchSize`),
      at(`${tgt}.timeoutMs`),
      at(`${tgt}.concurrency`),
      at(`${tgt}.attempts`),
    ]).toEqual([100, 10000, 4, 8]);
  });

  it('is valid draft-07 that a stock validator accepts', () => {
    const parsed = JSON.parse(configSchemaJson()) as Schema;
    expect(parsed).toEqual(configSchema);
    const ajv = new Ajv({ discriminator: true, allowUnionTypes: true, strict: true });
    const validate = ajv.compile(parsed);
    expect(validate({ ledger: { url: 'postgres://db/lb' }, catalog: './catalog' })).toBe(true);
    expect(validate({ ledger: { url: 'mysql://db/lb' }, catalog: './catalog' })).toBe(false);
  });

  it('checks license type and credit codes with the GB 32100 alphabet', () => {
    const ajv = new Ajv({ discriminator: true, allowUnionTypes: true, strict: true });
    const pipe = all.find(([p]) => p === '#.properties.pipelines.patternProperties.^[a-z][a-z0-9-]*$')?.[1];
    const licenseType = ajv.compile(((pipe?.properties ?? {}) as Record<string, Schema>).licenseType ?? {});
    expect(licenseType('11370200MB1234567X001')).toBe(true);
    expect(licenseType('11370200MB1234567I001')).toBe(false); // I is not in the alphabet
    expect(licenseType('11370200MB1234567X01')).toBe(false);
  });
});
