/**
 * Stand-in platforms' answers to a deliver call that the platform, or this process's send pause,
 * asks to wait (Retry-After): the outcomes a REST/JSON or SOAP/XML target returns for each.
 */
import type { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';

/** Every item failed, retryable, with `reason`: the platform asked to wait `retryAfterMs`. */
export function askedToWait(
  items: readonly DeliveryItem[],
  reason: string,
  retryAfterMs: number,
): DeliveryOutcome[] {
  return items.map((i) => ({
    key: i.key,
    state: 'failed',
    retryable: true,
    reasons: [reason],
    retryAfterMs,
  }));
}

/**
 * The items' outcomes when `pause` holds the request (`what`) back: unsent, retryable, asking for
 * the wait left. `undefined` when the pause lets it go.
 */
export function heldBack(
  pause: SendPause,
  what: string,
  items: readonly DeliveryItem[],
): DeliveryOutcome[] | undefined {
  try {
    pause.hold(what);
    return undefined;
  } catch (e) {
    if (!isLicbridgeError(e)) throw e;
    const left = e.context.retryAfterMs as number;
    return askedToWait(items, e.message, left).map((o) => ({ ...o, unsent: true }));
  }
}

/** Notes on `pause` an answer (`reason`) asking every caller to wait `retryAfterMs`. */
export function noteWait(pause: SendPause, reason: string, retryAfterMs: number): void {
  pause.note(
    new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, reason, {
      retryable: true,
      context: { retryAfterMs },
    }),
  );
}
