/**
 * A license file that could not be read for the request that carries it (a read failing with an
 * error of the file system's own, EACCES or EIO: not the file store's checked failures) failed the
 * batch as it was thrown: the first request's failure went out of `deliver` bare, naming no
 * target, and the licenses of that request were counted an attempt each (a deliver-attempt audit
 * entry saying they were tried); a later request's was a retryable 'batch request failed
 * unexpectedly' with its licenses counted tried too. The request never left this host: it now
 * fails unsent, naming the target, the batch upload, the platform and the license whose file it
 * is, the read's error kept as its cause, retryable as the file store's own read failures are.
 */
import { describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { isLicbridgeError } from '../../core/errors.js';
import { closedAfterEach, failure } from './auth-strategy-fault.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const closers = closedAfterEach();

/** An item whose file's read fails with `error`. */
function withUnreadableFile(n: number, error: Error): DeliveryItem {
  const item = deliveryItem(n);
  return {
    ...item,
    file: {
      name: `${item.licenseId}-1.ofd`,
      sm3: 'ab'.repeat(32),
      size: 10,
      read: async () => {
        throw error;
      },
    },
  };
}

/** A platform accepting every item of every batch. */
async function acceptingPlatform(): Promise<ScriptedServer> {
  const platform = await startScriptedServer((_n, req) => {
    const { items } = JSON.parse(req.body) as { items: { key: string }[] };
    return {
      status: 200,
      body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 'p' })) },
    };
  });
  closers.push(() => platform.close());
  return platform;
}

const ioError = () => Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });

describe('rest-json: a license file that cannot be read for its request', () => {
  it("the call's first request: fails unsent, naming the target, the request and the license", async () => {
    const platform = await acceptingPlatform();
    const name = `province-file-unread-${process.pid}`;
    const target = new RestJsonTarget(name, restConfig(platform.url, { licenseFiles: { send: 'base64' } }));
    closers.push(() => target.close());
    const cause = ioError();

    const error = await failure(target.deliver([withUnreadableFile(1, cause)]));

    expect(platform.seen).toHaveLength(0);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(
      `target ${name}: batch upload to ${platform.url} not sent: the license file of lic-000001 version 1 could not be read`,
    );
    expect(error.retryable).toBe(true);
    expect(error.context).toMatchObject({ target: name, unsent: true });
    expect(error.cause).toBe(cause);
  });

  it('a later request: its licenses failed unsent, the earlier batch accepted', async () => {
    const platform = await acceptingPlatform();
    const name = `province-file-unread-${process.pid}`;
    const config = restConfig(platform.url, { batchSize: 1, licenseFiles: { send: 'base64' } });
    const target = new RestJsonTarget(name, config);
    closers.push(() => target.close());

    const [first, second] = await target.deliver([deliveryItem(1), withUnreadableFile(2, ioError())]);

    expect(platform.seen).toHaveLength(1);
    expect(first?.state).toBe('accepted');
    expect(second).toMatchObject({ state: 'failed', retryable: true, unsent: true });
    expect(second?.reasons).toEqual([
      `target ${name}: batch upload to ${platform.url} not sent: the license file of lic-000002 version 1 could not be read`,
    ]);
  });
});
