// A license file changed or gone from the store after the deliver stage checked it fails the
// request that was to carry it before it is sent (pipelines/stages/deliver-files.ts readAgain):
// that request never left this host, so its licenses are `unsent`, no attempt (the stage counts
// none, test/deliver/unsent-batch-not-attempt). Counted, each was audited as tried, and its next
// try asked the platform about a send that never happened before its check dead-lettered it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { attachLicenseFiles } from '../../pipelines/stages/deliver-files.js';
import { restConfig } from '../platforms/license-fixture.js';
import { startScriptedServer } from '../platforms/scripted-server.js';
import { keysOf, storedLicenseFiles } from './stored-license-files.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `count` licenses with a file each in a fresh store, the ledger's rows of them, and a target accepting all. */
async function delivery(count: number) {
  const { root, items, rows, ledger } = await storedLicenseFiles(count, 300, cleanups);
  const server = await startScriptedServer((_n, req) => ({
    status: 200,
    body: {
      code: 0,
      results: keysOf(req).map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })),
    },
  }));
  cleanups.push(() => server.close());
  const target = new RestJsonTarget(
    'province',
    restConfig(server.url, { batchSize: 2, licenseFiles: { send: 'base64' } }),
  );
  cleanups.push(() => target.close());
  const prepared = await attachLicenseFiles(ledger, target, items, root);
  return { root, rows, server, target, items: prepared.items };
}

describe('a license file changed after its check', () => {
  it('leaves its request and those after it unsent', async () => {
    const { root, rows, server, target, items } = await delivery(6);
    writeFileSync(join(root, rows[2]?.path as string), Buffer.alloc(300, 99));
    const outcomes = await target.deliver(items);
    expect(server.seen).toHaveLength(1);
    expect(outcomes.map((o) => [o.state, o.unsent ?? false])).toEqual([
      ['accepted', false],
      ['accepted', false],
      ['failed', true],
      ['failed', true],
      ['failed', true],
      ['failed', true],
    ]);
  });

  it('in the first request, fails the call saying nothing was sent', async () => {
    const { root, rows, server, target, items } = await delivery(2);
    writeFileSync(join(root, rows[0]?.path as string), Buffer.alloc(300, 99));
    const error = await target.deliver(items).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true, context: { unsent: true } });
    expect(server.seen).toHaveLength(0);
  });
});
