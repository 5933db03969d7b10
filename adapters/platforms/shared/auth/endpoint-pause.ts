/**
 * The wait a token or secret endpoint asked every caller for (408, 429, 5xx or a busy answer code
 * with `Retry-After`: ./credentials-failure.ts), held by the endpoint's origin for every credential
 * request of this process to it: those of every target whose credentials come from there, whatever
 * host its platform is on, and of no other. Held only as the wait of the target whose request was
 * answered so (by its name and platform origin, ../send-pause.ts), another target fetching its
 * tokens from the same endpoint sent its token request into the wait.
 *
 * A request met by the wait fails before it is sent, retryably, with the time left as its
 * Retry-After; the target's request it was to make credentials for then fails unsent
 * (./credentials-failure.ts credentialsNotMade) and holds that target's other requests for the
 * rest of the wait (../send-pause.ts `note`). A target whose credentials are still good, or come
 * from the shared store (./token-share.ts), asks nothing of the endpoint and is not held.
 */
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../../core/errors.js';
import { MAX_SEND_PAUSE_MS } from '../send-pause.js';

/** Until when (performance.now(), ms) each credential endpoint asked to wait, by its origin. */
const endpointUntil = new Map<string, number>();

export class EndpointPause {
  /**
   * `what`: the request as errors name it (`target city: auth oauth2: token request`); `origin`:
   * `scheme://host:port` of the endpoint; `target`: the target whose credentials it makes, if any.
   */
  constructor(
    private readonly what: string,
    private readonly origin: string,
    private readonly target?: string,
  ) {}

  /** Time left of the wait, ms, or undefined when none is asked (the monotonic clock). */
  left(): number | undefined {
    const until = endpointUntil.get(this.origin);
    if (until === undefined) return undefined;
    const left = until - performance.now();
    if (left > 0) return Math.ceil(left);
    endpointUntil.delete(this.origin);
    return undefined;
  }

  /** Throws when a wait is on: the credential request is not sent. */
  hold(): void {
    const left = this.left();
    if (left === undefined) return;
    throw new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `${this.what} to ${this.origin} not sent: the endpoint asked every caller to wait (Retry-After), ${Math.ceil(left / 1000)} s left`,
      {
        retryable: true,
        context: {
          ...(this.target === undefined ? {} : { target: this.target }),
          origin: this.origin,
          retryAfterMs: left,
        },
      },
    );
  }

  /** Starts or lengthens the wait when `error`, the endpoint's answer, asks for one (`retryAfterMs`). */
  note(error: unknown): void {
    if (!isLicbridgeError(error)) return;
    const ms = error.context.retryAfterMs;
    if (typeof ms !== 'number' || !(ms > 0)) return;
    const until = performance.now() + Math.min(ms, MAX_SEND_PAUSE_MS);
    if (until > (endpointUntil.get(this.origin) ?? 0)) endpointUntil.set(this.origin, until);
  }
}
