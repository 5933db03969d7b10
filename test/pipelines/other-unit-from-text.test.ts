/**
 * The sign stage and `sign backfill` part a page by issuing unit (seal-units.ts byUnit) reading
 * each version's unit from the text of its stored `issuer` value, which signable gives beside the
 * signed bytes (stages/sign.ts, issuerUnit): the licenses of such a page were each parsed whole
 * only to read the issuer's code. The units found are the parsed licenses' for ordinary and odd
 * licenses (ledger/odd-payloads.ts, a unit in lower case and spaced, another unit's license id or
 * issuer, quotes and escapes in the issuer), stored as payloadColumn writes them (with and without
 * the context split), none of those parsed, and as JSON.stringify wrote them before (read the long
 * way, as signable reads them).
 */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import type { StoredVersion } from '../../ledger/ledger.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { splitVersion } from '../../ledger/version-context.js';
import { byUnit, issuerUnit, sealsVersion, versionUnit } from '../../pipelines/seal-units.js';
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

function ordinary(n: number, issuer = ISSUER): Omit<License, 'identifier'> {
  return {
    number: `JY${String(n).padStart(8, '0')}`,
    type: { name: '食品经营许可证', code: '11370200MB1234567X001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: issuer },
    issueDate: '2019-03-04',
    validFrom: '2019-03-04',
    validTo: '2029-03-03',
    areaCode: '370211',
    holder: { name: `经营者${n}`, idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['预包装食品销售'] },
  };
}

function row(
  n: number,
  l: License,
  payload: string,
  context?: { lineage: string; payload: string } | null,
): VersionRow {
  return {
    version_id: n,
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

/**
 * `l` stored as payloadColumn writes it, with its context split, and as JSON.stringify wrote it
 * before; `fast` where signable gives its issuer's text (the license not parsed).
 */
function stored(n: number, l: License): { form: string; row: VersionRow; fast: boolean }[] {
  const split = splitVersion(payloadColumn(l), l, LINEAGE);
  const { identifier: _id, ...content } = l;
  return [
    { form: 'payloadColumn', row: row(n, l, payloadColumn(l)), fast: true },
    { form: 'payloadColumn, context split', row: row(n, l, split.payload, split.context), fast: true },
    { form: 'JSON.stringify, before', row: row(n, l, JSON.stringify(content)), fast: false },
    { form: 'JSON.stringify with its identifier', row: row(n, l, JSON.stringify(l)), fast: false },
  ];
}

/** The version read from `r`, counting how often its license is parsed (its payload read). */
function counted(r: VersionRow): { v: StoredVersion; reads: () => number } {
  const v = toVersion(r);
  const payload =
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(v), 'payload') ??
    (Object.getOwnPropertyDescriptor(v, 'payload') as PropertyDescriptor);
  let reads = 0;
  Object.defineProperty(v, 'payload', {
    enumerable: true,
    configurable: true,
    get() {
      reads++;
      return payload.get?.call(v);
    },
  });
  return { v, reads: () => reads };
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
  'issuer of another unit': license(22, ordinary(22, OTHER)),
  'quotes and escapes in the issuer': license(23, {
    ...ordinary(23),
    issuer: { name: '"局\\"\u2028😀', code: ISSUER, note: { z: 1, a: [',', '}'] } } as License['issuer'],
  }),
};

/** `page` parted as the sign stage parts it: each unit from the issuer text signable gives. */
function partedAsSigned(page: readonly StoredVersion[]) {
  const issuerOf = new Map<StoredVersion, string>();
  for (const v of page) {
    const form = signable(v);
    if ('problem' in form) throw new Error(`not signable: ${form.problem}`);
    if (form.issuerText !== undefined) issuerOf.set(v, form.issuerText);
  }
  return byUnit(page, 'market-food', ISSUER, (v) => issuerUnit(v, issuerOf.get(v)));
}

describe('the unit a version of a page records, from its issuer text', () => {
  for (const [name, l] of Object.entries(LICENSES)) {
    it(`is the parsed license's unit, the license not parsed: ${name}`, () => {
      for (const s of stored(1, l)) {
        const { v, reads } = counted(s.row);
        const [unit] = partedAsSigned([v]).others.map(({ issuer, identifierIssuer }) =>
          identifierIssuer === undefined ? { issuer } : { issuer, identifierIssuer },
        );
        const parsed = versionUnit(toVersion(s.row));
        expect(unit ?? { issuer: ISSUER }, s.form).toEqual(parsed);
        // A text written before is parsed, as signable reads it: the count is the license's reads.
        if (s.fast) expect(reads(), s.form).toBe(0);
        else expect(reads(), s.form).toBeGreaterThan(0);
      }
    });
  }

  it('names the same versions of another unit as reading each license does, none parsed', () => {
    const forms = Object.values(LICENSES).flatMap((l, i) => stored(100 + i, l));
    const page = forms.map((f) => counted(f.row));
    const { own, others } = partedAsSigned(page.map((p) => p.v));
    expect(page.filter((_, i) => forms[i]?.fast).map((p) => p.reads())).toEqual(
      page.filter((_, i) => forms[i]?.fast).map(() => 0),
    );
    const parsed = forms.map((f) => toVersion(f.row));
    expect(others.map((o) => [o.licenseId, o.issuer, o.identifierIssuer])).toEqual(
      parsed
        .filter((v) => !sealsVersion(ISSUER, versionUnit(v)))
        .map((v) => [v.licenseId, versionUnit(v).issuer, versionUnit(v).identifierIssuer]),
    );
    expect(own.map((v) => v.licenseId)).toEqual(
      parsed.filter((v) => sealsVersion(ISSUER, versionUnit(v))).map((v) => v.licenseId),
    );
    expect(others.length).toBeGreaterThan(0);
    expect(own.length).toBeGreaterThan(0);
  });
});
