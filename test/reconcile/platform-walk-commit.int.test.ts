/**
 * The platform check walks the ledger's licenses and the platform's listing side by side, a page
 * at a time, while runs may go on. A license a run committed (and delivered) after the ledger's walk
 * had passed its place, listed by the platform after that, was taken for one the ledger does not
 * know: `unknown-at-platform`, a license "perhaps sent by another system", kept in `status` until
 * the next full check. The ledger is asked again for such licenses: one it holds under this
 * pipeline by then is left to the next check, neither reported nor compared.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { NATIONAL_CODES } from '../../adapters/platforms/shared/code-lists.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { restConfig } from '../platforms/license-fixture.js';
import { startScriptedServer } from '../platforms/scripted-server.js';
import { meanwhile } from '../support/meanwhile.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const PREFIX = `${ids.licenseId('X').slice(0, -1)}`;

function license(serial: string, version = 1): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}${version === 1 ? '' : `-${version}`}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2026-03-01',
    validFrom: '2026-03-01',
    validTo: '2031-02-28',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: {},
  };
}

function entry(serial: string, version = 1): Record<string, unknown> {
  return {
    key: `${ids.licenseId(serial)}:${version}:province`,
    licenseId: ids.licenseId(serial),
    version,
    platformId: `P-${serial}`,
    license: toPlatformLicense(
      license(serial, version),
      version === 1 ? 'issue' : 'update',
      NATIONAL_CODES,
      version,
    ),
  };
}

describe.each(BACKENDS)('a license committed while the platform check walks ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `pw-${tag.toLowerCase()}`;
  const serials = ['A', 'B', 'C'].map((s) => `PW${tag}00000${s}`);
  const closers: (() => Promise<unknown>)[] = [];

  const commit = async (serial: string, version = 1) => {
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: serial }),
      rowsRead: 1,
      candidates: [
        {
          licenseId: ids.licenseId(serial),
          sourceKey: serial,
          contentHash: contentHash(license(serial, version)),
          status: 'valid',
          lineage: {
            pipeline,
            source: 's',
            sourceKey: serial,
            runId,
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: (v) => license(serial, v),
        },
      ],
      quarantined: [],
    });
  };

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    for (const s of [serials[0], serials[2]]) await commit(s as string);
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('is not reported as unknown to the ledger', async () => {
    const listed = [...serials].sort((a, b) => (ids.licenseId(a) < ids.licenseId(b) ? -1 : 1));
    const server = await startScriptedServer((_n, req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      return { status: 200, body: { code: 0, items: after === '' ? listed.map((s) => entry(s)) : [] } };
    });
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());

    // The run commits (and delivers) license B once the check has read the ledger's page.
    const walked = meanwhile(ledger, 'licensesAtTarget', () => commit(serials[1] as string));
    const check = await checkPlatform({
      ledger: walked,
      pipeline,
      adapter: target,
      licensePrefix: PREFIX,
      pageSize: 100,
    });
    expect((await ledger.pipelineLicenses(pipeline)).length).toBe(3);
    expect(check.differences).toEqual([]);
    expect(check.counts.total).toBe(3);

    // A license the ledger does not hold at all is still reported.
    const stray = `PW${tag}00000D`;
    const server2 = await startScriptedServer((_n, req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      return { status: 200, body: { code: 0, items: after === '' ? [entry(stray)] : [] } };
    });
    closers.push(() => server2.close());
    const target2 = new RestJsonTarget('province', restConfig(server2.url, { timeoutMs: 2000 }));
    closers.push(() => target2.close());
    const again = await checkPlatform({
      ledger,
      pipeline,
      adapter: target2,
      licensePrefix: PREFIX,
      pageSize: 100,
    });
    expect(again.differences.filter((d) => d.kind === 'unknown-at-platform').map((d) => d.licenseId)).toEqual(
      [ids.licenseId(stray)],
    );
  });

  it('a version committed meanwhile is not taken for one the platform holds and licbridge never sent', async () => {
    const [a, b, c] = serials as [string, string, string];
    const server = await startScriptedServer((_n, req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      const items = [entry(a), entry(b, 2), entry(c)].sort((x, y) =>
        String(x.licenseId) < String(y.licenseId) ? -1 : 1,
      );
      return { status: 200, body: { code: 0, items: after === '' ? items : [] } };
    });
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    // The run commits (and delivers) version 2 of license B once the check has read the ledger's page.
    const walked = meanwhile(ledger, 'licensesAtTarget', () => commit(b, 2));
    const check = await checkPlatform({
      ledger: walked,
      pipeline,
      adapter: target,
      licensePrefix: PREFIX,
      pageSize: 100,
    });
    expect((await ledger.pipelineLicenses(pipeline)).find((l) => l.sourceKey === b)?.version).toBe(2);
    expect(check.differences).toEqual([]);
    expect(check.counts.total).toBe(3);
  });
});
