/**
 * A lookup or listing page answered with HTTP 429 (the platform's rate limit: a lookup sends eight
 * requests at once) or 408, with or without `Retry-After`. It was failed as "expected HTTP 200 or
 * 404" and not retryable (only 5xx was), so the scheduled full check failed for good at its first
 * attempt, where the same platform answering a busy code in a 200, or a batch upload answered 429,
 * was retried after the wait it asked for. Such a status now fails the read as it fails a batch
 * upload (shared/http-failure.ts): retryable, with the status and the wait kept; the kind of the
 * failure reads `http-429`.
 */
import { describe, expect, it } from 'vitest';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';
import type { ScriptedReply } from './scripted-server.js';

const answering = restTargetAnswering();
const targetAnswering = async (reply: ScriptedReply) => (await answering(() => reply)).target;

async function failureOf(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isLicbridgeError(e)) throw new Error(`expected a licbridge error, got ${String(e)}`);
  return e;
}

const busy: ScriptedReply = {
  status: 429,
  headers: { 'retry-after': '30' },
  body: { code: 429, reason: 'too-many-requests' },
};

describe('a lookup or listing answered 429 or 408', () => {
  it('429 with Retry-After: the lookup fails retryable, with the wait and the status', async () => {
    const target = await targetAnswering(busy);
    const e = await failureOf(target.lookup(['lic-000001']));
    expect([e.code, e.retryable]).toEqual([ErrorCodes.TARGET_UNREACHABLE, true]);
    expect(e.context).toMatchObject({ target: 'province', status: 429, retryAfterMs: 30_000 });
    expect(errorFailureKind(e)).toBe('http-429');
  });

  it('429 with Retry-After: the listing fails retryable, with the wait and the status', async () => {
    const target = await targetAnswering(busy);
    const e = await failureOf(listAll(target));
    expect([e.code, e.retryable]).toEqual([ErrorCodes.TARGET_UNREACHABLE, true]);
    expect(e.context).toMatchObject({ status: 429, retryAfterMs: 30_000 });
  });

  it('408: the lookup fails retryable', async () => {
    const target = await targetAnswering({ status: 408, body: '' });
    const e = await failureOf(target.lookup(['lic-000001']));
    expect([e.code, e.retryable, e.context.status]).toEqual([ErrorCodes.TARGET_UNREACHABLE, true, 408]);
  });

  it('503 with Retry-After: retryable as before, the wait now kept', async () => {
    const target = await targetAnswering({ status: 503, headers: { 'retry-after': '5' }, body: '' });
    const e = await failureOf(target.lookup(['lic-000001']));
    expect([e.retryable, e.context.status, e.context.retryAfterMs]).toEqual([true, 503, 5000]);
  });

  it('the message names the action and the status, never the answer text', async () => {
    const target = await targetAnswering({
      status: 429,
      body: { code: 429, reason: '欧阳秀英 370211199001011234 请求过多' },
    });
    const e = await failureOf(target.lookup(['lic-000001']));
    expect(e.message).toMatch(/^target province: lookup to http:\/\/127\.0\.0\.1:\d+ failed: HTTP 429$/);
  });
});
