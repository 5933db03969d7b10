import { describe, expect, it } from 'vitest';
import { soapXmlKind } from '../../adapters/platforms/soap-xml/kind.js';
import type { Schema } from '../../config/schema/builders.js';
import { source } from '../../config/schema/sources.js';
import { target } from '../../config/schema/targets.js';
import { withSchemaDefaults } from '../../config/schema-defaults.js';

const props = (s: unknown) => (s as { properties: Record<string, Schema> }).properties;

describe('withSchemaDefaults', () => {
  it('fills the variant a discriminator picks, from that variant only', () => {
    const soap = withSchemaDefaults(target, Object.freeze({ kind: 'soap-xml', url: 'http://x' })) as Record<
      string,
      unknown
    >;
    expect(soap.namespace).toBe(props(soapXmlKind.schema).namespace?.default);
    expect(soap.attempts).toBe(props(soapXmlKind.schema).attempts?.default);
    // rest-json's own default does not leak into another kind.
    expect(soap).not.toHaveProperty('catalogPath');
  });

  it('picks a variant by an enum of kinds (sources) and fills nested objects present', () => {
    const s = withSchemaDefaults(source, {
      kind: 'kingbase',
      connection: { host: 'db' },
      charset: { repair: ['NAME'] },
    }) as Record<string, unknown>;
    expect(s.statementTimeoutMs).toBeTypeOf('number');
    expect(s.charset).toEqual({ repair: ['NAME'], from: 'gb18030' });
    expect(s).not.toHaveProperty('pattern');
  });

  it('takes the one object branch of an anyOf, and fills a default that is itself a variant', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        tls: {
          anyOf: [
            { type: 'boolean' },
            { type: 'object', properties: { minVersion: { default: 'TLSv1.2' } } },
          ],
        },
        auth: {
          default: { scheme: 'oauth2' },
          discriminator: { propertyName: 'scheme' },
          oneOf: [
            { type: 'object', properties: { scheme: { const: 'none' } } },
            { type: 'object', properties: { scheme: { const: 'oauth2' }, skew: { default: 60 } } },
          ],
        },
        list: { type: 'array', items: { type: 'object', properties: { n: { default: 1 } } } },
      },
    };
    expect(withSchemaDefaults(schema, { tls: {}, list: [{}, { n: 2 }] })).toEqual({
      tls: { minVersion: 'TLSv1.2' },
      auth: { scheme: 'oauth2', skew: 60 },
      list: [{ n: 1 }, { n: 2 }],
    });
    expect(withSchemaDefaults(schema, { tls: true })).toMatchObject({ tls: true });
  });

  it('leaves what was written, and the value it was given, as they are', () => {
    const given = Object.freeze({ kind: 'rest-json', url: 'http://x', attempts: 2 });
    const out = withSchemaDefaults(target, given) as Record<string, unknown>;
    expect(out.attempts).toBe(2);
    expect(given).not.toHaveProperty('batchSize');
    // A value that is no mapping is kept as the same object, not copied field by field.
    const when = new Date(0);
    const schema: Schema = {
      type: 'object',
      properties: { at: { type: 'object', properties: { x: { default: 1 } } } },
    };
    expect((withSchemaDefaults(schema, { at: when }) as { at: unknown }).at).toBe(when);
  });
});
