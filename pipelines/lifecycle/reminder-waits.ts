/**
 * The waits a notify target asked of a reminder tick (reminder-sender.ts): its gateway's
 * `Retry-After` (a 429 or 5xx, or a busy code), or its credential endpoint's, which holds the sends
 * too, as each needs a token. No worker of the tick sends to the target before its wait is over; a
 * wait longer than a send's lease leaves the target's remaining reminders pending, untried and no
 * attempt counted, for the next tick, said once with who asked for it.
 */
import { neverSent } from '../../adapters/platforms/shared/batches.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

export class TargetWaits {
  /** Per target, the instant (Date.now()) before which it is not sent to, for any reminder. */
  private readonly notBefore = new Map<string, number>();
  /** Per target, who asked for its latest wait. */
  private readonly askedBy = new Map<string, { who: string; origin?: string }>();
  /** Targets whose remaining reminders were left pending because of a wait longer than a send. */
  private readonly waitedOut = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Ms left of the wait asked of `target`; 0 or less when none is on. */
  left(target: string): number {
    return (this.notBefore.get(target) ?? 0) - Date.now();
  }

  /** Starts or lengthens `target`'s wait when `error`, a send's, asks for one (`retryAfterMs`). */
  note(target: string, error: unknown): void {
    if (!isLicbridgeError(error)) return;
    const asked = error.context.retryAfterMs;
    if (typeof asked !== 'number' || !(asked > 0)) return;
    const until = Date.now() + asked;
    if (until <= (this.notBefore.get(target) ?? 0)) return;
    this.notBefore.set(target, until);
    // A request that never left this host asked nothing of the gateway: its credentials were not
    // made, and the wait is the credential endpoint's. Said as the gateway's, a person looked for
    // the fault at the gateway.
    const origin = typeof error.context.origin === 'string' ? error.context.origin : undefined;
    this.askedBy.set(target, {
      who: neverSent(error) ? 'its credential endpoint' : 'its gateway',
      ...(origin === undefined ? {} : { origin }),
    });
  }

  /** Says once per target that its remaining reminders wait for the next tick, and who asked. */
  leftForLater(target: string, waitMs: number): void {
    if (this.waitedOut.has(target)) return;
    this.waitedOut.add(target);
    const { who, origin } = this.askedBy.get(target) ?? { who: 'its gateway' };
    this.logger.warn(
      { target, origin, retryAfterMs: Math.round(waitMs) },
      `lifecycle: target ${target}: ${who}${origin ? ` ${origin}` : ''} asked to wait ${Math.ceil(waitMs / 1000)} s (Retry-After), longer than one reminder's send may take; its remaining reminders stay pending, untried, for the next tick`,
    );
  }
}
