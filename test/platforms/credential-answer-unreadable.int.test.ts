/**
 * A token or secret endpoint behind a gateway that answers 200 with a page of its own (a
 * maintenance page, a proxy's portal) handed out no credentials, and refused none either: the
 * send fails retryable, as an unreadable answer (`unreadable-answer`), and is tried again when the
 * endpoint is back. It was taken for a refusal of the configured credentials (TARGET_AUTH, not
 * retryable, audited `auth`): the deliver job failed for good and every delivery of it was
 * dead-lettered, however soon the endpoint came back. So was a gateway's busy code written in
 * the 200 (`{"code":503}`), which the platform's own answers have read as busy since. A token
 * endpoint that refuses the credentials in its JSON still does so for good.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { AppKeyMd5Auth } from '../../adapters/platforms/shared/auth/appkey-md5-auth.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { ErrorCodes } from '../../core/errors.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from './scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const MAINTENANCE: ScriptedReply = {
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<html><body>系统维护中，请稍后再试</body></html>',
};

/** A platform whose token endpoint answers `token`; a batch is never reached. */
async function deliverWithTokenAnswer(token: ScriptedReply) {
  server = await startScriptedServer((_n, req) =>
    req.url.startsWith('/oauth/token') ? token : { status: 500, body: { code: 500 } },
  );
  const target = new RestJsonTarget(
    'province',
    restConfig(server.url, {
      attempts: 1,
      auth: {
        scheme: 'oauth2',
        tokenUrl: `${server.url}/oauth/token`,
        clientId: 'district-a',
        clientSecret: 'cs-9d1e-secret',
        refreshSkewSeconds: 60,
      },
    }),
  );
  try {
    return await licbridgeFailure(target.deliver([deliveryItem(1)]));
  } finally {
    await target.close();
  }
}

describe('a credential endpoint answering 200 without credentials', () => {
  it('oauth2: a maintenance page is retryable, unreadable-answer, not a refusal', async () => {
    const e = await deliverWithTokenAnswer(MAINTENANCE);
    expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(e.retryable).toBe(true);
    expect(errorFailureKind(e)).toBe('unreadable-answer');
    expect(thrownAttemptReason(e)).toBe('unreadable-answer');
    expect(e.message).not.toContain('维护');
  });

  it('oauth2: a refusal in JSON (invalid_client) stays a refusal of the credentials', async () => {
    const e = await deliverWithTokenAnswer({ status: 200, body: { error: 'invalid_client' } });
    expect(e.code).toBe(ErrorCodes.TARGET_AUTH);
    expect(e.retryable).toBe(false);
    expect(thrownAttemptReason(e)).toBe('auth');
  });

  it('oauth2: a gateway’s busy code in a 200 is retryable, with its Retry-After, as a 503 status is', async () => {
    const e = await deliverWithTokenAnswer({
      status: 200,
      headers: { 'retry-after': '120' },
      body: { code: 503, reason: 'SYSTEM_BUSY' },
    });
    expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(e.retryable).toBe(true);
    expect(e.context.retryAfterMs).toBe(120_000);
    expect(thrownAttemptReason(e)).toBe('code-503');
  });

  it('appkey-md5: a secret refresh answered with a maintenance page is retryable', async () => {
    server = await startScriptedServer(() => MAINTENANCE);
    const auth = new AppKeyMd5Auth({
      appKey: 'district-a',
      secret: 'configured-5e1c9a',
      refreshUrl: `${server.url}/auth/secret`,
    });
    const e = await licbridgeFailure(auth.refresh());
    expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(e.retryable).toBe(true);
    expect(errorFailureKind(e)).toBe('unreadable-answer');
  });
});

describe('a secret refresh answered 200 with a busy code', () => {
  it('appkey-md5: retryable, not a refusal', async () => {
    server = await startScriptedServer(() => ({ status: 200, body: { code: '429' } }));
    const auth = new AppKeyMd5Auth({
      appKey: 'district-a',
      secret: 'configured-5e1c9a',
      refreshUrl: `${server.url}/auth/secret`,
    });
    const e = await licbridgeFailure(auth.refresh());
    expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(e.retryable).toBe(true);
    expect(errorFailureKind(e)).toBe('code-429');
  });
});
