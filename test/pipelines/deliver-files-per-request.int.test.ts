// A delivery's license files are read for the request that carries them, not all before the first
// request: read up front, a job of 100 licenses held 100 files at once (up to 64 MiB each, 6.4 GB)
// where `maxBatchBytes` bounds one request. Here requests of two files each: when each request
// arrives, only its files and those of the requests before it were read whole. A file changed in
// the store after the check is not sent: its request fails, retryable, naming the file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { attachLicenseFiles } from '../../pipelines/stages/deliver-files.js';
import { keysOf, storedLicenseFiles } from '../deliver/stored-license-files.js';
import { restConfig } from '../platforms/license-fixture.js';
import { type SeenRequest, startScriptedServer } from '../platforms/scripted-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `count` licenses with a 3,000-byte file each in a fresh store, and the ledger's rows of them. */
const stored = (count: number) => storedLicenseFiles(count, 3_000, cleanups);

/** A platform accepting every item; `onRequest` runs as each request arrives. */
async function platform(onRequest: (req: SeenRequest) => void) {
  const server = await startScriptedServer((_n, req) => {
    onRequest(req);
    return {
      status: 200,
      body: {
        code: 0,
        results: keysOf(req).map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })),
      },
    };
  });
  cleanups.push(() => server.close());
  return server;
}

describe('license files read per request', () => {
  it('reads only the files of the request being sent', async () => {
    const { root, items, ledger } = await stored(8);
    // Whole-file reads of the store, in order: what delivery holds in memory.
    const readWhole: string[] = [];
    const read = LicenseFileStore.prototype.read;
    vi.spyOn(LicenseFileStore.prototype, 'read').mockImplementation(function (this: LicenseFileStore, file) {
      readWhole.push(file.licenseId);
      return read.call(this, file);
    });
    const readAtRequest: string[][] = [];
    const server = await platform(() => readAtRequest.push([...readWhole]));
    // Items of ~5.6 KB (a 3,000-byte file is 4,000 base64 characters): two a request.
    const target = new RestJsonTarget(
      'province',
      restConfig(server.url, { batchSize: 100, maxBatchBytes: 12_000, licenseFiles: { send: 'base64' } }),
    );
    cleanups.push(() => target.close());

    const prepared = await attachLicenseFiles(ledger, target, items, root);
    expect(prepared.refused).toEqual([]);
    expect(readWhole).toEqual([]);
    const outcomes = await target.deliver(prepared.items);

    expect(outcomes.map((o) => o.state)).toEqual(items.map(() => 'accepted'));
    const sent = server.seen.map((r) => keysOf(r).map((k) => k.split(':')[0]));
    expect(sent.map((s) => s.length)).toEqual([2, 2, 2, 2]);
    // As each request arrived, the files read whole were its own and those sent before it.
    expect(readAtRequest).toEqual(sent.map((_, i) => sent.slice(0, i + 1).flat()));
  });

  it('a file changed in the store after its check is not sent: its request fails retryably, naming it', async () => {
    const { root, items, rows, ledger } = await stored(4);
    const server = await platform(() => {});
    const target = new RestJsonTarget(
      'province',
      restConfig(server.url, { batchSize: 2, licenseFiles: { send: 'base64' } }),
    );
    cleanups.push(() => target.close());

    const prepared = await attachLicenseFiles(ledger, target, items, root);
    writeFileSync(join(root, rows[2]?.path as string), Buffer.alloc(3_000, 99));
    const outcomes = await target.deliver(prepared.items);

    expect(outcomes.map((o) => [o.state, o.retryable])).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
      ['failed', true],
      ['failed', true],
    ]);
    expect(outcomes[2]?.reasons?.[0]).toContain(
      `deliver: license file ${rows[2]?.path} of lic-000003 version 1: the stored file is not the one the ledger recorded`,
    );
    expect(outcomes[2]?.reasons?.[0]).toMatch(/since it was checked; tried again$/);
    expect(server.seen.flatMap(keysOf)).toEqual([items[0]?.key, items[1]?.key]);
  });
});
