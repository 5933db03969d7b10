/**
 * The wait a platform asked for (429, 503 or a busy answer code with `Retry-After`, a SOAP
 * `Server.Busy`), held for every request of this process to that target. A deliver worker works
 * several jobs at once (`concurrency`, 4 by default): the job answered so puts itself back, and
 * the queue takes no new job for that long (pipelines/workers/deliver-worker.ts), but a job
 * already running went on to its next batch or status request and reached the platform within the
 * wait (234 and 379 ms after a 1 s Retry-After). Each request now looks here just before it is
 * sent, and one met by a wait is not sent: it fails retryably with the time left as its own
 * Retry-After, so its job goes back without spending an attempt for the rest of the wait.
 *
 * Held per process, by target name and origin: a worker process on another host learns of the
 * wait from the queue (it takes no new job) or from its own answer, not from here.
 */
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';

/**
 * Longest wait held, ms: as the deliver worker caps a Retry-After (pipelines/delivery-policy.ts
 * retryAfterOf), so a platform answering "retry in a day" does not stop this process's sends longer
 * than it stops the queue.
 */
export const MAX_SEND_PAUSE_MS = 300_000;

/**
 * Until when (performance.now(), ms) each target was asked to wait, by {@link pauseKey}, and the
 * origin that asked: the platform's, or its token or secret endpoint's, which may be another host.
 */
const pausedUntil = new Map<string, { until: number; from: string }>();

/** The errors `hold` threw: the wait they carry is one already held. */
const held = new WeakSet<object>();

function pauseKey(target: string, origin: string): string {
  return `${target}\u0000${origin}`;
}

/** The wait a platform asked every caller for, as the requests of one target see it. */
export class SendPause {
  private readonly key: string;

  /** `origin`: `scheme://host:port` of the platform, named in the error of a request held back. */
  constructor(
    private readonly target: string,
    private readonly origin: string,
  ) {
    this.key = pauseKey(target, origin);
  }

  /**
   * Time left of the wait, ms, or undefined when none is asked. The monotonic clock: the host's
   * wall clock set back or forward must not end or lengthen the wait.
   */
  left(): number | undefined {
    const until = pausedUntil.get(this.key)?.until;
    if (until === undefined) return undefined;
    const left = until - performance.now();
    if (left > 0) return Math.ceil(left);
    pausedUntil.delete(this.key);
    return undefined;
  }

  /**
   * Throws when a wait is on: the request `action` names (`batch upload`, `status request`) is
   * not sent. The error carries the time left as `retryAfterMs`, as the answer that asked for the
   * wait did, and `unsent`: nothing reached the platform. Not `unsent` when `sentBefore`: the
   * request is one sent again with renewed credentials after a 401 (auth/with-renewal.ts), and
   * its first send reached the platform, an attempt of what it carried. Marked unsent, that
   * attempt was not counted, nor audited, and the next try did not ask the platform first.
   * The error names the host that asked for the wait: a token endpoint on another host than the
   * platform's is named (and `waitFrom` in the context), or the wait was looked for at the platform.
   */
  hold(action: string, sentBefore = false): void {
    const left = this.left();
    if (left === undefined) return;
    const from = pausedUntil.get(this.key)?.from ?? this.origin;
    const asker = from === this.origin ? 'the platform' : from;
    const error = new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `target ${this.target}: ${action} to ${this.origin} not sent${sentBefore ? ' again with renewed credentials' : ''}: ${asker} asked every caller to wait (Retry-After), ${Math.ceil(left / 1000)} s left`,
      {
        retryable: true,
        context: {
          target: this.target,
          origin: this.origin,
          ...(from === this.origin ? {} : { waitFrom: from }),
          retryAfterMs: left,
          ...(sentBefore ? {} : { unsent: true }),
        },
      },
    );
    held.add(error);
    throw error;
  }

  /**
   * Starts or lengthens the wait when `error` is an answer asking for one (`retryAfterMs`): the
   * platform's, or its token endpoint's. Not `hold`'s own, the wait it repeats. Another error of a
   * request that never left is noted: a token endpoint answering 429 or 503 with Retry-After fails
   * the request unsent (auth/credentials-failure.ts credentialsNotMade), and skipped as unsent, its
   * wait held back none of the target's other requests. The endpoint's wait is held by its own
   * origin too, for the other targets fetching credentials there (auth/endpoint-pause.ts).
   */
  note(error: unknown): void {
    if (!isLicbridgeError(error) || held.has(error)) return;
    const ms = error.context.retryAfterMs;
    if (typeof ms !== 'number' || !(ms > 0)) return;
    const until = performance.now() + Math.min(ms, MAX_SEND_PAUSE_MS);
    // The origin the answer came from (a token endpoint's error names its own); the platform's when unsaid.
    const from = typeof error.context.origin === 'string' ? error.context.origin : this.origin;
    if (until > (pausedUntil.get(this.key)?.until ?? 0)) pausedUntil.set(this.key, { until, from });
  }

  /** `request`'s result; its failure asking for a wait starts one for every request of the target. */
  async noting<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      this.note(e);
      throw e;
    }
  }
}
