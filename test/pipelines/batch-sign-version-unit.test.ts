/**
 * `sign backfill` and `sign resign` sign a version only when its recorded issuing unit is the
 * signer's. They found the unit by parsing the whole stored license (seal-units.ts versionUnit),
 * though the signed form was made from its stored text without a parse; the unit is now read from
 * the text of its `issuer` value, as the sign stage reads it. The unit found is the same as the
 * parsed license's, for ordinary licenses, odd ones (ledger/odd-payloads.ts, units in lower case
 * or spaced, a license id of another unit, quotes and escapes in the issuer) and texts written
 * before (JSON.stringify's, with or without the identifier), which are still parsed.
 */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { splitVersion } from '../../ledger/version-context.js';
import { issuerUnit, versionUnit } from '../../pipelines/seal-units.js';
import { signable } from '../../pipelines/stages/sign.js';
import { ODD } from '../ledger/odd-payloads.js';

const ISSUER = '11370211MB1234567X';
const OTHER = '11370212MB7654321Y';
const LINEAGE = '{"s":"market-food","k":"4","C":"abc","M":"def"}';

const idOf = (n: number, unit = ISSUER) =>
  `1.2.156.3005.2.11370200MB1234567X001.${unit}.U${String(n).padStart(8, '0')}`;

function license(n: number, content: Omit<License, 'identifier'>, unit = ISSUER): License {
  return { identifier: `${idOf(n, unit)}.001.F`, ...content } as License;
}

function row(l: License, payload: string, context?: { lineage: string; payload: string } | null): VersionRow {
  return {
    version_id: 1,
    license_id: l.identifier.split('.').slice(0, -2).join('.'),
    version: 1,
    pipeline: 'market-food',
    identifier: l.identifier,
    content_hash: contentHash(l),
    status: 'valid',
    operation: 'create',
    payload,
    lineage: LINEAGE,
    run_id: 'run-1',
    created_at: new Date(0),
    ...(context ? { context_id: 1, context_lineage: context.lineage, context_payload: context.payload } : {}),
  };
}

/** The stored forms of `l`: as payloadColumn writes it, with and without its context, and as written before. */
function stored(l: License): { form: string; row: VersionRow; fast: boolean }[] {
  const split = splitVersion(payloadColumn(l), l, LINEAGE);
  const { identifier: _id, ...content } = l;
  return [
    { form: 'payloadColumn', row: row(l, payloadColumn(l)), fast: true },
    { form: 'payloadColumn, context split', row: row(l, split.payload, split.context), fast: true },
    { form: 'JSON.stringify, before', row: row(l, JSON.stringify(content)), fast: false },
    { form: 'JSON.stringify with its identifier', row: row(l, JSON.stringify(l)), fast: false },
  ];
}

/** The unit as a pass finds it now: from the issuer text signable gives, else the parsed license. */
function passUnit(r: VersionRow) {
  const v = toVersion(r);
  const form = signable(v);
  if ('problem' in form) throw new Error(`not signable: ${form.problem}`);
  return { unit: issuerUnit(v, form.issuerText), fromText: form.issuerText !== undefined };
}

function ordinary(n: number): Omit<License, 'identifier'> {
  return {
    number: `JY${String(n).padStart(8, '0')}`,
    type: { name: '食品经营许可证', code: '11370200MB1234567X001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2019-03-04',
    validFrom: '2019-03-04',
    validTo: '2029-03-03',
    areaCode: '370211',
    holder: { name: `经营者${n}`, idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['预包装食品销售'] },
  };
}

const LICENSES: Record<string, License> = {
  ordinary: license(1, ordinary(1)),
  ...Object.fromEntries(
    Object.entries(ODD).map(([name, content], i) => [name, license(10 + i, content(10 + i))]),
  ),
  'unit in lower case, spaced': license(20, {
    ...ordinary(20),
    issuer: { name: '局', code: ` ${ISSUER.toLowerCase()} ` },
  }),
  'license id of another unit': license(21, ordinary(21), OTHER),
  'issuer of another unit': license(22, { ...ordinary(22), issuer: { name: '局', code: OTHER } }),
  'quotes and escapes in the issuer': license(23, {
    ...ordinary(23),
    issuer: { name: '"局\\"\u2028😀', code: ISSUER, note: { z: 1, a: [',', '}'] } } as License['issuer'],
  }),
};

describe('the issuing unit a sign pass finds', () => {
  for (const [name, l] of Object.entries(LICENSES)) {
    it(`is the parsed license's unit: ${name}`, () => {
      for (const s of stored(l)) {
        const found = passUnit(s.row);
        expect(found.unit, s.form).toEqual(versionUnit(toVersion(s.row)));
        // payloadColumn's text gives its issuer's text; one written before is parsed, as before.
        expect(found.fromText, s.form).toBe(s.fast);
      }
    });
  }

  it('tells the units apart', () => {
    expect(passUnit(stored(LICENSES.ordinary as License)[0]?.row as VersionRow).unit).toEqual({
      issuer: ISSUER,
    });
    expect(
      passUnit(stored(LICENSES['license id of another unit'] as License)[1]?.row as VersionRow).unit,
    ).toEqual({
      issuer: ISSUER,
      identifierIssuer: OTHER,
    });
  });
});
