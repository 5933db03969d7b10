/**
 * A target's requests are held during a wait asked for by the platform or by the token endpoint
 * the target's credentials come from (adapters/platforms/shared/send-pause.ts `note`), which may
 * be on another host. The error of a held request said "the platform asked every caller to wait"
 * whatever host had asked, so a wait the token endpoint asked for was looked for at the platform.
 * It now names the host that asked for the wait.
 */
import { describe, expect, it } from 'vitest';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';

const PLATFORM = 'https://platform.example.invalid';
const TOKENS = 'https://auth.example.invalid';

let made = 0;
const pause = (): SendPause => {
  made += 1;
  return new SendPause(`province-wait-origin-${process.pid}-${made}`, PLATFORM);
};

const busy = (origin: string): LicbridgeError =>
  new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `${origin} failed: HTTP 503`, {
    retryable: true,
    context: { origin, status: 503, retryAfterMs: 120_000 },
  });

function heldError(p: SendPause): LicbridgeError {
  try {
    p.hold('batch upload');
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error('not held');
}

describe('a request held by a wait', () => {
  it("names the token endpoint's host when the token endpoint asked for the wait", () => {
    const p = pause();
    p.note(busy(TOKENS));
    const error = heldError(p);
    expect(error.message).toContain(`batch upload to ${PLATFORM} not sent`);
    expect(error.message).toContain(`${TOKENS} asked every caller to wait`);
    expect(error.message).not.toContain('the platform asked');
    expect(error.context).toMatchObject({ origin: PLATFORM, waitFrom: TOKENS, unsent: true });
  });

  it('names the platform when the platform asked for it', () => {
    const p = pause();
    p.note(busy(PLATFORM));
    const error = heldError(p);
    expect(error.message).toContain(
      `batch upload to ${PLATFORM} not sent: the platform asked every caller to wait`,
    );
    expect(error.context).toMatchObject({ origin: PLATFORM, unsent: true });
    expect(error.context.waitFrom).toBeUndefined();
  });
});
