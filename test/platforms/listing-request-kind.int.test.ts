/**
 * A listing page's request (`GET <url>/licenses/current`, a full check's read of everything the
 * platform holds) failed in the words of a lookup of one license: 'lookup to … failed: HTTP 503',
 * 'lookup refused: HTTP 401', 'lookup not sent: the platform asked every caller to wait'. An
 * operator looked for a license read back one by one, where the full listing had failed. Each
 * listing request now names itself (`listing request`), and a lookup still says `lookup`.
 */
import { describe, expect, it } from 'vitest';
import { isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';
import type { ScriptedReply } from './scripted-server.js';

const answering = restTargetAnswering();

async function failureOf(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isLicbridgeError(e)) throw new Error(`expected a licbridge error, got ${String(e)}`);
  return e;
}

const unavailable: ScriptedReply = { status: 503, body: '' };
const refused: ScriptedReply = { status: 401, body: { code: 401, reason: 'invalid_token' } };

describe('a listing request that fails names itself', () => {
  it('503: listing request to the platform failed', async () => {
    const { target, seen } = await answering(() => unavailable);
    const e = await failureOf(listAll(target));
    expect(seen[0]?.url).toMatch(/^\/licenses\/current\?/);
    expect(e.message).toMatch(
      /^target province: listing request to http:\/\/127\.0\.0\.1:\d+ failed: HTTP 503$/,
    );
  });

  it('401: listing request refused', async () => {
    const { target } = await answering(() => refused);
    const e = await failureOf(listAll(target));
    expect(e.message).toBe('target province: listing request refused: HTTP 401');
  });

  it('held by a wait the platform asked for: listing request not sent', async () => {
    const { target } = await answering(() => ({ status: 429, headers: { 'retry-after': '60' }, body: '' }));
    await failureOf(listAll(target));
    const e = await failureOf(listAll(target));
    expect(e.message).toMatch(/^target province: listing request to http:\/\/127\.0\.0\.1:\d+ not sent: /);
  });

  it('a lookup still says lookup', async () => {
    const { target } = await answering(() => unavailable);
    const e = await failureOf(target.lookup(['lic-000001']));
    expect(e.message).toMatch(/^target province: lookup to http:\/\/127\.0\.0\.1:\d+ failed: HTTP 503$/);
  });
});
