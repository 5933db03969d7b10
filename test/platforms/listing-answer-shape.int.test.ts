/**
 * A listing page (`GET /licenses/current?after=…&limit=…`) answered 200 with code 0 but no `items`
 * array (`{ "code": 0, "data": { "items": [...] } }` from a gateway that wraps answers, `items`
 * renamed, `null`): not the documented answer, it said nothing of what the platform holds. It
 * ended the listing as an empty page would, so every license after it showed missing at the
 * platform and a repair sent each again. It now fails the listing, naming the page, not the body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const entry = (licenseId: string) => ({ licenseId, version: 1, license: {} });

/** A platform whose first page is documented and whose second is `second`. */
async function platformAnswering(second: unknown) {
  const server = await startScriptedServer((n) => ({
    status: 200,
    body: n === 0 ? { code: 0, items: [entry('lic-000001'), entry('lic-000002')] } : second,
  }));
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  return { target, seen: server.seen };
}

async function listAll(target: RestJsonTarget): Promise<PlatformRecord[]> {
  const out: PlatformRecord[] = [];
  for await (const page of target.list({ chunkSize: 2 })) out.push(...page);
  return out;
}

describe('a listing page that is not the documented answer', () => {
  const holder = '370211199001011234';
  for (const [what, body] of [
    ['items wrapped in data', { code: 0, data: { items: [entry('lic-000003')], holder } }],
    ['no items at all', { code: 0, holder }],
    ['items null', { code: 0, items: null, holder }],
    ['items an object', { code: 0, items: { holder } }],
  ] as const) {
    it(`${what}: fails the listing naming the page, not the body`, async () => {
      const { target } = await platformAnswering(body);
      const e = await listAll(target).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isLicbridgeError(e) && e.code).toBe(ErrorCodes.TARGET_REJECTED);
      const message = (e as Error).message;
      expect(message).toContain('province');
      expect(message).toContain('page 2');
      expect(message).toContain('lic-000002');
      expect(message).not.toContain(holder);
    });
  }

  it('an empty items array still ends the listing', async () => {
    const { target } = await platformAnswering({ code: 0, items: [] });
    expect((await listAll(target)).map((r) => r.licenseId)).toEqual(['lic-000001', 'lic-000002']);
  });
});
