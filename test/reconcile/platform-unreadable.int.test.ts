/**
 * An entry of the REST platform's listing that cannot be read back into a license (its version is
 * not a number, it names no license id) was left out of the listing, so a license only the platform
 * held in that shape was never reported, and one altered there beyond mapping read as missing. Each
 * such entry is now an `unreadable-at-platform` difference, with the license it names or its place
 * in the listing, and no content of the entry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { NATIONAL_CODES } from '../../adapters/platforms/shared/code-lists.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { reconcileExitCode } from '../../cli/commands/reconcile.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { platformGap } from '../../pipelines/observability/check-attention.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import { restConfig } from '../platforms/license-fixture.js';
import { startScriptedServer } from '../platforms/scripted-server.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const PREFIX = `${ids.licenseId('X').slice(0, -1)}`;
const HOLDER = '欧阳秀英';

const serial = (n: number) => `K4Y975IEPO1UZ9OZS7V${String.fromCharCode(65 + n)}`;

function license(n: number): License {
  return {
    identifier: ids.identifier(serial(n), 1),
    number: `JY237021100000${n}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2026-03-01',
    validFrom: '2026-03-01',
    validTo: '2031-02-28',
    areaCode: '370211',
    holder: { name: HOLDER, idType: '111', id: '370211199001011234' },
    status: 'valid',
    surface: {},
  };
}

function entry(n: number, version: unknown = 1): Record<string, unknown> {
  return {
    key: `${ids.licenseId(serial(n))}:1:province`,
    licenseId: ids.licenseId(serial(n)),
    version,
    platformId: `P${n}`,
    license: toPlatformLicense(license(n), 'issue', NATIONAL_CODES, 1),
  };
}

function atLedger(n: number): LedgerLicenseAtTarget {
  return {
    licenseId: ids.licenseId(serial(n)),
    sourceKey: `row-${n}`,
    version: 1,
    versionId: 100 + n,
    contentHash: contentHash(license(n)),
    status: 'valid',
    deliveryKey: `${ids.licenseId(serial(n))}:1:province`,
    deliveryState: 'accepted',
  };
}

/** The ledger's side of one pipeline: licenses 0 and 1 (sorted by license id, as the ledger pages them). */
function ledgerHolding(ns: number[]): Ledger {
  const rows = ns.map(atLedger).sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return rows.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async pipelinesOfLicenses() {
      return new Map<string, string>();
    },
  } as unknown as Ledger;
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function platformListing(items: unknown[]): Promise<RestJsonTarget> {
  const server = await startScriptedServer((_n, req) => {
    const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
    return { status: 200, body: { code: 0, items: after === '' ? items : [] } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  closers.push(() => target.close());
  return target;
}

describe('reconcile: platform entries that cannot be read back', () => {
  it('reports an altered entry, one only the platform holds, and one naming no license', async () => {
    const alone = entry(3, 'one');
    const nameless = { ...entry(4), licenseId: undefined, license: { czzt: HOLDER } };
    // License 1 is altered at the platform (its version no longer a number); 3 is only at the platform.
    const target = await platformListing([entry(0), entry(1, 'one'), entry(2), alone, nameless]);
    const check = await checkPlatform({
      ledger: ledgerHolding([0, 1, 2]),
      pipeline: 'p',
      adapter: target,
      licensePrefix: PREFIX,
      pageSize: 100,
    });
    const unreadable = check.differences.filter((d) => d.kind === 'unreadable-at-platform');
    expect(check.differences).toHaveLength(3);
    expect(unreadable).toHaveLength(3);
    const byId = new Map(unreadable.map((d) => [d.licenseId, d]));
    expect(byId.get(ids.licenseId(serial(1)))).toMatchObject({
      ledger: { versionId: 101 },
      unreadable: { reason: 'its version is not a number', position: 2 },
    });
    expect(byId.get(ids.licenseId(serial(3)))).toMatchObject({
      ledger: null,
      unreadable: { position: 4 },
    });
    expect(byId.get('')).toMatchObject({ unreadable: { reason: 'it has no licenseId', position: 5 } });
    // Readable licenses are counted; unreadable entries are reported, not counted.
    expect(check.counts.total).toBe(2);
    // No content of an entry goes into a report.
    expect(JSON.stringify(check.differences)).not.toContain(HOLDER);

    const report = {
      differences: check.differences.length,
      counts: { targets: { province: check.counts } },
      all: check.differences,
      byKind: { 'unreadable-at-platform': 3 },
    };
    expect(reconcileExitCode([report as never])).toBe(1);
    expect(platformGap({ summary: { byKind: report.byKind } })).toBe(3);
    const plan = planRepairs(
      { config: { reconcile: {} } } as never,
      { ...report, reportId: 'r', pipeline: 'p' } as never,
    );
    expect(plan.items.every((i) => i.action === 'flag')).toBe(true);
    const shown = byId.get('') as never;
    expect(platformViews(report as never, shown, 'en')[0]?.text).toBe(
      'unreadable (listing entry 5: it has no licenseId)',
    );
  });

  it('matches an entry named only by its zzbs wherever the platform lists it', async () => {
    // No licenseId, its version not a number: named by its license's zzbs, listed where the
    // platform puts entries without a licenseId (first, or last), not in license-id order.
    const byContent = (n: number) => ({ ...entry(n, 'one'), licenseId: undefined });
    for (const [items, ledgerNs, expected] of [
      [[byContent(2), entry(0), entry(1)], [0, 1, 2], [[2, 102]]],
      [[entry(0), entry(2), byContent(1)], [0, 1, 2], [[1, 101]]],
      [[byContent(3), entry(0)], [0], [[3, null]]],
    ] as const) {
      const target = await platformListing([...items]);
      const check = await checkPlatform({
        ledger: ledgerHolding([...ledgerNs]),
        pipeline: 'p',
        adapter: target,
        licensePrefix: PREFIX,
        pageSize: 100,
      });
      expect(check.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual(
        expected.map(([n, versionId]) => ['unreadable-at-platform', ids.licenseId(serial(n)), versionId]),
      );
    }
  });

  it('names the license of an unreadable look-up answer by the id asked', async () => {
    const server = await startScriptedServer(() => ({
      status: 200,
      body: { code: 0, current: { ...entry(1), licenseId: 7 } },
    }));
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const [record] = await target.lookup([ids.licenseId(serial(1))]);
    expect(record).toMatchObject({
      licenseId: ids.licenseId(serial(1)),
      unreadable: { reason: 'it has no licenseId' },
    });
  });
});
