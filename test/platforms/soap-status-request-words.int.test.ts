/**
 * A `QueryStatus` that failed was said to be a batch upload (`target city: batch upload to … failed:
 * HTTP 503`), and the reason a submitted delivery keeps after a failed check, and the log, sent the
 * operator looking at the sends; a REST/JSON target says `status request` there. The send's own
 * failures still say `batch upload`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryItem } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A city service answering every request with HTTP `status` and an empty body. */
async function targetAnswering(status: number) {
  server = await startScriptedServer(() => ({ status, headers: { 'content-type': 'text/html' }, body: '' }));
  return soapTarget(server.url, { attempts: 1 });
}

describe('a failed SOAP status request', () => {
  it('is named a status request', async () => {
    const target = await targetAnswering(503);
    try {
      const [o] = await target.poll([
        { key: deliveryItem(1, { target: 'city' }).key, platformId: null, receipt: null },
      ]);
      expect(o).toMatchObject({ state: 'failed', unverified: true });
      expect(o?.reasons?.[0]).toContain('target city: status request to');
      expect(o?.reasons?.[0]).toContain('HTTP 503');
    } finally {
      await target.close();
    }
  });

  it('a failed send is still a batch upload', async () => {
    const target = await targetAnswering(503);
    try {
      const e = await target.deliver([deliveryItem(1, { target: 'city' })]).catch((err: unknown) => err);
      expect((e as Error).message).toContain('target city: batch upload to');
    } finally {
      await target.close();
    }
  });
});
