/**
 * Reasons built from schema errors and the cross-field checks, with hand-made ajv error objects
 * (ajv's documented ErrorObject shape) so each branch is reached alone. Expected texts are the
 * documented reason formats (docs/catalog.md); masks follow core/mask.ts's rule, worked by hand.
 */
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { checkLicense, reasonsFromAjv } from '../../catalog/validate-license.js';

const err = (keyword: string, instancePath: string, extra: Partial<ErrorObject> = {}): ErrorObject => ({
  keyword,
  instancePath,
  schemaPath: `#/properties/x/${keyword}`,
  params: {},
  message: `ajv says ${keyword}`,
  ...extra,
});

const LICENSE = {
  holder: { name: '张三丰', idType: '111', id: '11010519491231002X' },
  surface: { legalRepresentative: '李四', area: 12.5, tags: ['a'], when: null },
  validFrom: '2024-01-01',
  validTo: '2025-01-01',
};

describe('reasonsFromAjv', () => {
  it('gives each keyword its code; an unknown keyword the generic one', () => {
    const codes = [
      ['format', 'LB_SCHEMA_FORMAT'],
      ['type', 'LB_SCHEMA_TYPE'],
      ['const', 'LB_SCHEMA_CONST'],
      ['minLength', 'LB_SCHEMA_LENGTH'],
      ['maxLength', 'LB_SCHEMA_LENGTH'],
      ['pattern', 'LB_SCHEMA_PATTERN'],
      ['minItems', 'LB_SCHEMA_ITEMS'],
      ['maxItems', 'LB_SCHEMA_ITEMS'],
      ['multipleOf', 'LB_SCHEMA'],
    ] as const;
    for (const [keyword, code] of codes) {
      expect(reasonsFromAjv(LICENSE, [err(keyword, '/surface/area')])).toEqual([
        { code, path: 'surface.area', message: `license: surface.area ajv says ${keyword}`, value: '12.5' },
      ]);
    }
  });

  it('required and additional fields name the field under its parent', () => {
    const r = reasonsFromAjv(LICENSE, [
      err('required', '/holder', { params: { missingProperty: 'name' } }),
      err('additionalProperties', '/surface', { params: { additionalProperty: 'extra' } }),
      err('required', '', { params: { missingProperty: 'status' } }),
    ]);
    expect(r).toEqual([
      { code: 'LB_SCHEMA_REQUIRED', path: 'holder.name', message: 'license: holder.name is required' },
      {
        code: 'LB_SCHEMA_ADDITIONAL',
        path: 'surface.extra',
        message: 'license: surface.extra is not a field of this license type',
      },
      { code: 'LB_SCHEMA_REQUIRED', path: 'status', message: 'license: status is required' },
    ]);
  });

  it('enum lists the allowed values; the root is named; no message falls back to the keyword', () => {
    const [e] = reasonsFromAjv(LICENSE, [
      err('enum', '/validFrom', { params: { allowedValues: ['a', 'b'] } }),
    ]);
    expect(e).toEqual({
      code: 'LB_SCHEMA_ENUM',
      path: 'validFrom',
      message: 'license: validFrom must be one of a, b',
      value: '2024-01-01',
    });
    const [root] = reasonsFromAjv(LICENSE, [err('type', '', { message: undefined })]);
    expect(root).toEqual({ code: 'LB_SCHEMA_TYPE', path: '', message: 'license: (root) type' });
  });

  it('masks personal values by the holder id type; leaves out objects, arrays and missing values', () => {
    const reasons = reasonsFromAjv(LICENSE, [
      err('pattern', '/holder/id'),
      err('pattern', '/holder/name'),
      err('pattern', '/surface/legalRepresentative'),
      err('type', '/surface/tags'),
      err('type', '/surface/missing'),
      err('type', '/surface/when'),
      err('type', '/surface/area/deeper'),
    ]);
    expect(reasons.map((r) => r.value)).toEqual([
      '1101**********002X',
      '张**',
      '李*',
      undefined,
      undefined,
      'null',
      undefined,
    ]);
    expect(reasons[3]).not.toHaveProperty('value');
    // A path through a text value reaches nothing (not the text's first char).
    expect(
      reasonsFromAjv({ surface: { area: 'abc' } }, [err('type', '/surface/area/0')])[0],
    ).not.toHaveProperty('value');
    // A path through null reaches nothing either, without a throw.
    expect(reasonsFromAjv({ surface: { x: null } }, [err('type', '/surface/x/y')])[0]).not.toHaveProperty(
      'value',
    );
    // A legal person's name and credit code are public: shown in clear.
    const company = { holder: { name: '某某有限公司', idType: '001', id: '91370406L24894136J' } };
    expect(
      reasonsFromAjv(company, [err('pattern', '/holder/id'), err('pattern', '/holder/name')]).map(
        (r) => r.value,
      ),
    ).toEqual(['91370406L24894136J', '某某有限公司']);
  });

  it('holderIdType names the check that failed, reading the id type from the schema', () => {
    const schema = {
      properties: { surface: { properties: { repId: { type: 'string', holderIdType: '111' } } } },
    };
    const license = { surface: { repId: '110105194912310021' } };
    const e = err('holderIdType', '/surface/repId', {
      schemaPath: '#/properties/surface/properties/repId/holderIdType',
    });
    const [r] = reasonsFromAjv(license, [e], schema);
    expect(r?.code).toBe('LB_SCHEMA_HOLDER_ID');
    expect(r?.message).toBe(
      "license: surface.repId fails holderIdType 111: resident id 1101**********0021 fails the check-char check: expected 1101**********002X (check char X, GB 11643); a typing error in the source, or another person's number",
    );
    expect(r?.value).toBe('1101**********0021');
    const generic =
      'license: surface.repId is not a valid id for the holder id type its schema names (holderIdType)';
    // No schema, a non-string value, or an id that passes: the generic text.
    expect(reasonsFromAjv(license, [e])[0]?.message).toBe(generic);
    expect(reasonsFromAjv({ surface: { repId: 5 } }, [e], schema)[0]?.message).toBe(generic);
    expect(reasonsFromAjv({ surface: { repId: '11010519491231002X' } }, [e], schema)[0]?.message).toBe(
      generic,
    );
    // No id type in the schema: the generic text, even for a blank id (which every type refuses).
    expect(reasonsFromAjv({ surface: { repId: '' } }, [e])[0]?.message).toBe(generic);
  });
});

const base = (over: Partial<Record<keyof License, unknown>> = {}): License =>
  ({
    identifier: '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
    type: { name: 't', code: '11100000000013338W032' },
    issuer: { name: 'i', code: '11220000013544541J' },
    holder: { name: '某某有限公司', idType: '001', id: '91370406L24894136J' },
    validFrom: '2024-01-01',
    validTo: '2025-01-01',
    ...over,
  }) as unknown as License;

describe('checkLicense', () => {
  it('a consistent license has no reasons', () => {
    expect(checkLicense(base())).toEqual([]);
    expect(checkLicense(base({ validTo: '2024-01-01' }))).toEqual([]);
  });

  it('checks the holder id by its type, the reason masked for a person', () => {
    expect(checkLicense(base({ holder: { name: 'n', idType: '111', id: '110105194912310021' } }))).toEqual([
      expect.objectContaining({ code: 'LB_HOLDER_ID_CHECK', path: 'holder.id', value: '1101**********0021' }),
    ]);
    expect(checkLicense(base({ holder: { name: 'n', idType: '001', id: '91370406L24894136K' } }))).toEqual([
      expect.objectContaining({ code: 'LB_HOLDER_ID_CHECK', path: 'holder.id', value: '91370406L24894136K' }),
    ]);
    // Missing parts are the schema's business: no holder reason here.
    expect(checkLicense(base({ holder: undefined }))).toEqual([]);
    expect(checkLicense(base({ holder: { name: 'n', idType: 111, id: 'x' } }))).toEqual([]);
    expect(checkLicense(base({ holder: { name: 'n', idType: '111', id: 5 } }))).toEqual([]);
    expect(checkLicense(base({ holder: { name: 'n', idType: 5, id: '' } }))).toEqual([]);
    expect(checkLicense(base({ holder: { name: 'n', idType: '001', id: '' } }))).toEqual([
      { code: 'LB_HOLDER_ID_EMPTY', path: 'holder.id', message: 'license: holder id is empty', value: '' },
    ]);
  });

  it('validTo before validFrom, only when both are real dates', () => {
    expect(checkLicense(base({ validTo: '2023-12-31' }))).toEqual([
      {
        code: 'LB_DATE_RANGE',
        path: 'validTo',
        message: 'license: validTo 2023-12-31 is before validFrom 2024-01-01',
        value: '2023-12-31',
      },
    ]);
    expect(checkLicense(base({ validTo: null }))).toEqual([]);
    expect(checkLicense(base({ validFrom: 20240101, validTo: '2023-12-31' }))).toEqual([]);
    expect(checkLicense(base({ validFrom: '2024-13-01', validTo: '2023-12-31' }))).toEqual([]);
    expect(checkLicense(base({ validFrom: '2024-01-01', validTo: '2023-13-31' }))).toEqual([]);
  });

  it('an identifier naming another type or issuer', () => {
    const mismatch = {
      code: 'LB_IDENTIFIER_MISMATCH',
      path: 'identifier',
      message: 'license: identifier names another type code or issuer code than the license',
    };
    expect(checkLicense(base({ type: { name: 't', code: '11100000000013338W033' } }))).toEqual([mismatch]);
    expect(checkLicense(base({ issuer: { name: 'i', code: '11220000013544541K' } }))).toEqual([mismatch]);
    expect(checkLicense(base({ type: undefined }))).toEqual([mismatch]);
    expect(checkLicense(base({ issuer: { name: 'i' } }))).toEqual([mismatch]);
    // A type code that is a prefix of the identifier's, or codes holding dots: parsed, not assumed.
    expect(checkLicense(base({ type: { name: 't', code: '11100000000013338W03' } }))).toEqual([mismatch]);
    expect(
      checkLicense(
        base({
          type: { name: 't', code: '11100000000013338W032.11220000013544541J' },
          issuer: { name: 'i', code: '' },
        }),
      ),
    ).toEqual([mismatch]);
    expect(checkLicense(base({ issuer: { name: 'i', code: '11220000013544541' } }))).toEqual([mismatch]);
    // A type code holding a dot, with the identifier's serial as the license's issuer: the text
    // happens to line up, but the identifier's own type code is another.
    expect(
      checkLicense(
        base({
          type: { name: 't', code: '11100000000013338W032.11220000013544541J' },
          issuer: { name: 'i', code: '2430599' },
        }),
      ),
    ).toEqual([mismatch]);
    // Not an identifier at all: the schema's format check reports it, not this one.
    expect(checkLicense(base({ identifier: 'nonsense', type: { name: 't', code: 'x' } }))).toEqual([]);
    expect(checkLicense(base({ identifier: 5 }))).toEqual([]);
  });
});
