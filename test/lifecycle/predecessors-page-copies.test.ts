/**
 * A page holding a renewal is resolved against the licenses of the page without a copy of each:
 * its identifier and number come from the mapped license itself (mappings/license-mapper.ts
 * `firstIdentity`), and what they are is what the version-1 license says.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import type { VersionCandidate, VersionLedger } from '../../ledger/ledger.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper, firstIdentity, type LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../../pipelines/lifecycle/predecessors.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from '../mappings/fixtures.js';

async function demoMapper() {
  return createLicenseMapper({
    pipeline: 'food-business-licenses',
    sourceName: 'market-food',
    mapping: await compileMapping(DEMO_MAPPING_FILE),
    catalog: await loadCatalog(DEMO_CATALOG_DIR),
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
  });
}

function ok(r: ReturnType<Awaited<ReturnType<typeof demoMapper>>>): LicenseCandidate {
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.candidate;
}

/** The ledger holds no license: the renewal's predecessor is the one read before it in its page. */
const emptyLedger = {
  predecessorIdentifiers: async () => new Map<string, string>(),
} as unknown as VersionLedger;

describe('predecessors of a page', () => {
  it('links a renewal to the license of its page without building a copy of each license', async () => {
    const mapper = await demoMapper();
    const old = ok(mapper({ key: '1', values: demoValues({ XKZBH: 'JY23702110012344' }) }, 'run'));
    const renewal = ok(mapper({ key: '2', values: demoValues({ YZSBH: 'JY23702110012344' }) }, 'run'));
    const others = ['3', '4', '5'].map((key) =>
      ok(mapper({ key, values: demoValues({ XKZBH: `JY2370211001235${key}` }) }, 'run')),
    );
    let builds = 0;
    const counted = (c: LicenseCandidate): LicenseCandidate =>
      new Proxy(c, {
        get(target, name, receiver) {
          if (name === 'build') builds++;
          return Reflect.get(target, name, receiver);
        },
      });
    const page = [old, renewal, ...others].map(counted);
    const ready: VersionCandidate[] = await resolvePredecessors(
      emptyLedger,
      'food-business-licenses',
      page,
      [],
    );
    expect(ready).toHaveLength(5);
    expect(builds).toBe(0);
    expect(renewal.build(1).previousIdentifier).toBe(old.build(1).identifier);
  });

  it("gives a candidate's version-1 identifier and number as its version-1 license holds them", async () => {
    const mapper = await demoMapper();
    const c = ok(mapper({ key: '7', values: demoValues({ XKZBH: 'ｊｙ23702110012399  ' }) }, 'run'));
    const first = c.build(1);
    expect(firstIdentity(c)).toEqual({ identifier: first.identifier, number: first.number });
    c.continues?.('some-identifier');
    expect(firstIdentity(c)).toEqual({ identifier: c.build(1).identifier, number: 'JY23702110012399' });
    // A candidate of another making: read from its version-1 license.
    const built = { build: () => first };
    expect(firstIdentity(built)).toEqual({ identifier: first.identifier, number: first.number });
  });
});
