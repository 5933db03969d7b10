/**
 * `GET /licenses/:licenseId` answered with a readable entry naming another license (a gateway's
 * cache keyed on less than the path, a platform matching ids by prefix, or answering with the
 * license that continues the one asked). Taken as it was, the record went under the id it named:
 * the license asked showed missing-at-platform (re-sent by a repair), and the other license was
 * compared with what the platform answered for this one. The lookup fails instead, retryable.
 */
import { describe, expect, it } from 'vitest';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';
import { restTargetAnswering } from './lookup-stand-in.js';
import type { ScriptedReply } from './scripted-server.js';

const targetAnswering = restTargetAnswering();

const idOf = (n: number) => `lic-${String(n).padStart(6, '0')}`;

function entry(n: number, licenseId = idOf(n)) {
  return {
    key: `${licenseId}:1:province`,
    licenseId,
    version: 1,
    platformId: `PV${n}`,
    license: toPlatformLicense(sampleLicense(n), 'issue'),
  };
}

const answer = (current: unknown): ScriptedReply => ({ status: 200, body: { code: 0, current } });

describe('a lookup answered with another license', () => {
  it('fails, retryable, naming the license asked, not that license absent', async () => {
    const { target } = await targetAnswering(() => answer(entry(2)));
    const e = await licbridgeFailure(target.lookup([idOf(1)]));
    expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(idOf(1));
    expect(e.message).toContain(idOf(2));
    expect(e.message).not.toContain(HOLDER_NAME);
    expect(e.message).not.toContain(HOLDER_ID);
  });

  it('fails when one of several answers names a license asked with it', async () => {
    // Both asked; the answer for the first is the second's entry.
    const { target } = await targetAnswering(() => answer(entry(2)));
    const e = await licbridgeFailure(target.lookup([idOf(1), idOf(2)]));
    expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
    expect(e.message).toContain(idOf(1));
  });

  it('an id that is no printable text is not quoted', async () => {
    const { target } = await targetAnswering(() => answer(entry(2, `${HOLDER_NAME}\n`)));
    const e = await licbridgeFailure(target.lookup([idOf(1)]));
    expect(e.message).not.toContain(HOLDER_NAME);
  });

  it("still gives each license's own entry, and one padded around the id asked for the check to tell", async () => {
    const { target } = await targetAnswering((_n, req) =>
      answer(req.url.endsWith(idOf(1)) ? entry(1) : entry(2, ` ${idOf(2)}`)),
    );
    const records = await target.lookup([idOf(1), idOf(2)]);
    expect(records.map((r) => [r.licenseId, r.unreadable === undefined])).toEqual([
      [idOf(1), true],
      [` ${idOf(2)}`, true],
    ]);
  });
});
