/**
 * A candidate's `build` shares the members nothing can change (the pipeline's frozen type and
 * issuer) and copies the rest, and gives version 1 the identifier the license was validated with:
 * the licenses, their payload column and its context split stay byte for byte what copies of every
 * member gave, on the demo department's rows.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { buildIdentifier, deriveSerial } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { newRecord } from '../../examples/west-coast/generate-legacy-db.js';
import { draw } from '../../examples/west-coast/legacy-records.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { splitVersionFields } from '../../ledger/version-context.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper, type LicenseCandidate } from '../../mappings/license-mapper.js';
import type { InputValue } from '../../mappings/types.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/west-coast/', import.meta.url));
const PIPELINE = 'food-business-licenses';
const TYPE = '11370200MB12345674001';
const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

let candidates: LicenseCandidate[];
beforeAll(async () => {
  const [catalog, mapping] = await Promise.all([
    loadCatalog(`${EXAMPLE}catalog`),
    compileMapping(`${EXAMPLE}mappings/food-business-license.yaml`),
  ]);
  const mapper = createLicenseMapper({
    pipeline: PIPELINE,
    sourceName: 'legacy',
    mapping,
    catalog,
    licenseType: TYPE,
    issuer: ISSUER,
    areaCode: '370211',
    today: () => '2026-12-07',
  });
  const d = draw(11);
  candidates = [];
  for (let i = 0; i < 300; i++) {
    const record = newRecord(
      d,
      i + 1,
      String(3_000_000 + i),
      new Date(Date.UTC(2015, 0, 1) + i * 86_400_000),
    );
    const values = { ...record } as unknown as Record<string, InputValue>;
    const r = mapper({ key: String(record.ID), values }, 'run-1');
    if (r.ok) candidates.push(r.candidate);
  }
});

/** What `build` gave before: every member a copy of its own, none frozen. */
const copied = (license: License): License => structuredClone(license);

describe('candidate build: shared type and issuer, version 1 identifier', () => {
  it('gives the same licenses, payload texts and context splits as copies of every member', () => {
    expect(candidates.length).toBeGreaterThan(250);
    for (const c of candidates) {
      for (const version of [1, 2]) {
        const built = c.build(version);
        const copy = copied(built);
        expect(built).toEqual(copy);
        expect(JSON.stringify(built)).toBe(JSON.stringify(copy));
        expect(payloadColumn(built)).toBe(payloadColumn(copy));
        const lineage = { s: 'legacy', r: 'run-1', k: c.sourceKey };
        expect(splitVersionFields(payloadColumn(built), built, lineage)).toEqual(
          splitVersionFields(payloadColumn(copy), copy, lineage),
        );
      }
      expect(contentHash(c.build(3))).toBe(c.contentHash);
    }
  });

  it('shares the frozen type and issuer, copies every other member', () => {
    const [c] = candidates;
    if (!c) throw new Error('no candidate');
    const a = c.build(1);
    const b = c.build(2);
    expect(a.type).toBe(b.type);
    expect(a.issuer).toBe(b.issuer);
    expect(Object.isFrozen(a.type) && Object.isFrozen(a.issuer)).toBe(true);
    expect(a.holder).not.toBe(b.holder);
    expect(a.holder).toEqual(b.holder);
    expect(a.surface).not.toBe(b.surface);
    (a.holder as { name: string }).name = 'changed';
    expect(c.build(1).holder).toEqual(b.holder);
  });

  it('names version 1 with the identifier GB/T 36904 gives it, other versions with theirs', () => {
    for (const c of candidates.slice(0, 50)) {
      const serial = deriveSerial(PIPELINE, c.sourceKey);
      for (const version of [1, 2, 999]) {
        expect(c.build(version).identifier).toBe(
          buildIdentifier({ typeCode: TYPE, issuerCode: ISSUER.code, serial, version }),
        );
      }
    }
  });
});
