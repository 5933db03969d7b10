/**
 * The `notify` target: a message gateway (SMS, or app push in the government service app) that
 * sends expiry reminders to holders (e-license rules art. 30). One reminder is one
 * `POST <url>/messages`; requests authenticate with the same strategies as the REST/JSON
 * platforms (../shared/auth/), and whole-request failures become the same errors
 * (../shared/http-failure.ts).
 *
 * Exactly-once rests on the gateway's idempotency: every request carries an `Idempotency-Key`
 * derived from the reminder's key and the target it was first written for, and a gateway answers
 * a key it has seen with its first answer, sending nothing again. The caller re-sends a reminder
 * whose answer it did not record under the same key, and one due again for the same license,
 * validTo and threshold under a later version keeps its first key (ledger/reminder-open.ts).
 *
 * The recipient is personal data: it is in the request body and nowhere else — not in an error,
 * not in a receipt, not in a log line.
 */
import { createHash } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import { scrubPersonal } from '../../../core/scrub.js';
import { platformHttp } from '../../tls-http.js';
import type { AuthOptions, AuthStrategy } from '../shared/auth/auth-strategy.js';
import { createAuthStrategy } from '../shared/auth/create-auth.js';
import { credentialsNotMade } from '../shared/auth/credentials-failure.js';
import { type SentCredentials, withRenewal } from '../shared/auth/with-renewal.js';
import {
  endpointOf,
  errorFromAnswer,
  errorFromNoAnswer,
  errorFromStatus,
  type FailureWhere,
  failedUnexpectedly,
  isBusyCode,
  parseRetryAfter,
} from '../shared/http-failure.js';
import { urlUnder } from '../shared/platform-url.js';
import type { NotifyTargetConfig } from './config.js';
import { type GatewayAnswer, parseGatewayAnswer, type ReminderMessage, toRequestBody } from './message.js';

export type { ReminderMessage } from './message.js';

export interface NotifyTargetOptions extends AuthOptions {
  /** Replaces the strategy built from `config.auth`. */
  auth?: AuthStrategy;
}

/** What the gateway said to one reminder. */
export type SendOutcome =
  /** `messageId` absent: the gateway took the message (`code: 0`) and gave no id for it. */
  | { state: 'sent'; messageId?: string; replayed: boolean }
  /** The gateway refused this message for good (a number it cannot reach, content it rejects: 400, 422). */
  | { state: 'refused'; reason: string };

/**
 * HTTP statuses with which a gateway refuses this very message — its content, as a 400 or 422 does
 * (a recipient it cannot parse, a template parameter it rejects): sending it again as it is would
 * fail again. Everything else that is not 2xx is a failure worth trying again later.
 */
const REFUSES_MESSAGE: ReadonlySet<number> = new Set([400, 422]);

/**
 * Codes a gateway answering every request 200 refuses the request with as the HTTP statuses of the
 * same numbers would, nothing said against the message: a wrong path or a route missing during a
 * deploy (404, 405), the same key in flight from another tick (409), a body limit (413).
 */
const REFUSES_REQUEST: ReadonlySet<number> = new Set([404, 405, 409, 413]);

/** `Idempotency-Key` of a reminder at a target: SHA-256 hex, so the header carries no license id. */
export function reminderIdempotencyKey(target: string, reminderKey: string): string {
  return createHash('sha256').update(`${target}\u0000${reminderKey}`, 'utf8').digest('hex');
}

/**
 * The gateway's message id as the ledger and the audit chain may keep it. The id is stored and
 * audited (hash-chained: it cannot be scrubbed later), and gateways build ids from the number they
 * were sent — in their own form (`sms-13912340002-0001` for `+8613912340002`), not the one in the
 * request. So an id holding the recipient, anything scrubPersonal would cut (a run of seven or
 * more digits, a credit code or ID number, an ID, mobile or passport number written in its groups:
 * core/scrub.ts), or the recipient's last eight digits
 * split by separators (`139-1234-0002`) is kept only as a digest of itself: the gateway's own id
 * still finds the row
 * by hashing it, and no number is written down. So is an id outside `[A-Za-z0-9_.:-]{1,128}`
 * (base64, `^`, controls, a long one): what is stored and printed stays short and plain.
 */
export function storableMessageId(messageId: string, recipient: string): string {
  const tail = recipient.replace(/[^0-9]/g, '').slice(-8);
  const carriesNumber =
    !/^[A-Za-z0-9_.:-]{1,128}$/.test(messageId) ||
    // Whatever its case: an app user id (push) written by the gateway in its own.
    messageId.toLowerCase().includes(recipient.toLowerCase()) ||
    scrubPersonal(messageId, [], () => '***') !== messageId ||
    (tail.length === 8 && messageId.replace(/[^0-9A-Za-z]/g, '').includes(tail));
  if (!carriesNumber) return messageId;
  return `sha256:${createHash('sha256').update(messageId, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The answer with the recipient masked out of its reason token, whatever its case. A push
 * channel's recipient is an app user id, which no number rule masks (parseGatewayAnswer), and a
 * gateway echoing it in a refusal (`no-such-user-zhangsan88`) had it kept whole as the reminder's
 * reason, in `reminders.reason` and the hash-chained audit chain.
 */
function withoutRecipient(answer: GatewayAnswer | undefined, recipient: string): GatewayAnswer | undefined {
  if (answer?.reason === undefined || recipient === '') return answer;
  const named = new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return { ...answer, reason: answer.reason.replace(named, '***') };
}

export class NotifyTarget {
  readonly kind = 'notify';
  private readonly messagesUrl: URL;
  private readonly origin: string;
  private readonly auth: AuthStrategy;
  private readonly clock: () => number;
  private readonly http: AxiosInstance;
  private readonly closeHttp: () => void;

  constructor(
    readonly name: string,
    readonly config: NotifyTargetConfig,
    options: NotifyTargetOptions = {},
  ) {
    try {
      this.messagesUrl = urlUnder(config.url, '/messages');
    } catch (e) {
      throw new LicbridgeError(ErrorCodes.USAGE, `target ${name}: url is not an absolute URL`, {
        context: { target: name },
        cause: e,
      });
    }
    this.origin = this.messagesUrl.origin;
    this.clock = options.clock ?? Date.now;
    ({ http: this.http, close: this.closeHttp } = platformHttp(config.timeoutMs, config.tls));
    // Token and secret requests to the platform's host go over this connection, with its `tls`.
    this.auth =
      options.auth ??
      createAuthStrategy(config.auth, {
        ...options,
        connection: { target: name, url: config.url, tls: config.tls, http: this.http },
      });
  }

  /**
   * Sends one reminder. Resolves with the gateway's answer; throws a LicbridgeError when there
   * was none worth keeping (unreachable, 5xx, 429, credentials refused, a 4xx other than 400/422
   * such as a 404 from a wrong path) — `retryable` says whether the same request may pass within
   * this tick; the caller leaves the reminder pending either way. An error whose context says
   * `unsent` is of a reminder that never left this host (its credentials could not be made): no
   * attempt of it (../shared/batches.ts `neverSent`).
   */
  async send(message: ReminderMessage): Promise<SendOutcome> {
    // Whether a request of this send left this host: the retry after a 401 whose credentials
    // cannot be made is still a reminder that reached the gateway once.
    const tries = { left: false };
    return withRenewal(
      this.auth,
      (sent) => this.sendOnce(message, sent, tries),
      (e) => this.unexpected(e),
    );
  }

  /**
   * A fault of no known kind (an auth strategy's or the client's own), its cause kept for the log
   * line, the gateway named as the reminder's other failures name it.
   */
  private unexpected(cause: unknown): LicbridgeError {
    return failedUnexpectedly(this.name, 'reminder', this.origin, cause);
  }

  private async sendOnce(
    message: ReminderMessage,
    sent: SentCredentials,
    tries: { left: boolean },
  ): Promise<SendOutcome> {
    const body = JSON.stringify(toRequestBody(message, this.config));
    const path = `${this.messagesUrl.pathname}${this.messagesUrl.search}`;
    const where = (): FailureWhere => ({
      target: this.name,
      origin: this.origin,
      now: this.clock(),
      action: 'reminder',
      // Named with a 404: a wrong path in `url` said "HTTP 404" and the origin only.
      endpoint: endpointOf(this.messagesUrl),
    });
    // Credentials not made (the token endpoint down, busy, refusing the client, or a wait it asked
    // for holding the token request back): the reminder never leaves this host, and is no attempt.
    // Taken for the reminder's own failure, it was counted tried for the day with nothing sent.
    let authHeaders: Record<string, string>;
    try {
      authHeaders = await this.auth.headers({ method: 'POST', path, body });
    } catch (e) {
      if (!tries.left) throw credentialsNotMade(e, this.name, { action: 'reminder', origin: this.origin });
      throw isLicbridgeError(e) ? e : this.unexpected(e);
    }
    // Renewal after a 401 renews only these, if still current (shared/auth/with-renewal.ts).
    sent.headers = authHeaders;
    let response: { status: number; data: unknown; headers: Record<string, unknown> };
    try {
      tries.left = true;
      response = await this.http.request({
        method: 'POST',
        url: this.messagesUrl.href,
        data: body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          'idempotency-key': reminderIdempotencyKey(message.keyTarget ?? this.name, message.key),
          ...authHeaders,
        },
      });
    } catch (e) {
      if (isLicbridgeError(e)) throw e;
      const noAnswer = await errorFromNoAnswer(e, where(), this.config.url, this.config.tls);
      if (noAnswer) throw noAnswer;
      throw this.unexpected(e);
    }
    const text = typeof response.data === 'string' ? response.data : '';
    // Only a refusal of this message's content closes the reminder (skipped, never re-sent).
    if (REFUSES_MESSAGE.has(response.status)) {
      const answer = withoutRecipient(parseGatewayAnswer(text), message.recipient);
      return { state: 'refused', reason: `gateway-refused:${answer?.reason ?? `http-${response.status}`}` };
    }
    if (response.status < 200 || response.status > 299) {
      // Any other answer says nothing against the message: a wrong path or a route missing
      // during a deploy (404, 405), a body limit (413), the same key in flight from another tick
      // (409). The reminder stays pending for the next tick, and the failure counts toward the
      // cut-off of a gateway that is down.
      const retryAfter = response.headers['retry-after'];
      const error = errorFromStatus(
        response.status,
        text,
        typeof retryAfter === 'string' ? retryAfter : undefined,
        { ...where(), answerDate: response.headers.date, location: response.headers.location },
      );
      // 409: the gateway is still working on the same idempotency key; asked again, it replays.
      if (response.status === 409 && !error.retryable) {
        throw new LicbridgeError(error.code, error.message, { retryable: true, context: error.context });
      }
      throw error;
    }
    const answer = withoutRecipient(parseGatewayAnswer(text), message.recipient);
    if (!answer) {
      throw new LicbridgeError(
        ErrorCodes.TARGET_REJECTED,
        `target ${this.name}: reminder to ${this.origin} failed: answer is not the documented JSON`,
        { retryable: true, context: { target: this.name, origin: this.origin } },
      );
    }
    // A code meaning busy (5xx-like, 429, 408) in a 200 says nothing against the message, as those
    // HTTP statuses do not: tried again, then left pending for the next tick — never skipped.
    // Its `Retry-After` is the gateway's as much as beside a 429 status: the sender waits it out.
    if (answer.code !== 0 && isBusyCode(answer.code)) {
      const busy = errorFromAnswer(answer.code, text, where());
      const retryAfter = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(
        typeof retryAfter === 'string' ? retryAfter : undefined,
        this.clock(),
        response.headers.date,
        `target ${this.name}`,
        endpointOf(this.messagesUrl),
      );
      if (retryAfterMs === undefined) throw busy;
      throw new LicbridgeError(busy.code, busy.message, {
        retryable: true,
        context: { ...busy.context, retryAfterMs },
      });
    }
    // 401 or 403 in a 200, as a gateway answering every request with 200 writes it: its
    // credentials were refused (a token expired, a secret rotated), as beside the HTTP statuses of
    // the same numbers — renewed once, else the reminder stays pending. Taken for a refusal of the
    // message, every reminder of the tick was closed `skipped` for good, no holder reminded.
    if (answer.code === 401 || answer.code === 403) {
      // Its reason masked as the answer was read (parseGatewayAnswer), as an HTTP status's is.
      const detail = `gateway code ${answer.code}${answer.reason ? ` (${answer.reason})` : ''}`;
      throw new LicbridgeError(
        ErrorCodes.TARGET_AUTH,
        `target ${this.name}: reminder to ${this.origin} failed: credentials refused: ${detail}`,
        { context: { target: this.name, origin: this.origin, platformCode: answer.code } },
      );
    }
    // A refusal of the request, not of the message, written in a 200 as its status would be: a route
    // missing (404, 405), the same key in flight (409), a body limit (413). Failed as those statuses
    // are (above), the reminder stays pending; taken for a refusal of the message, every reminder
    // meeting a missing route was closed `skipped` for good.
    if (REFUSES_REQUEST.has(answer.code)) {
      const refused = errorFromAnswer(answer.code, text, where());
      if (answer.code !== 409) throw refused;
      throw new LicbridgeError(refused.code, refused.message, { retryable: true, context: refused.context });
    }
    if (answer.code !== 0) {
      return { state: 'refused', reason: `gateway-refused:${answer.reason ?? `code-${answer.code}`}` };
    }
    // `code: 0` says the gateway took the message, with an id or without one (a gateway that
    // numbers nothing, a replay answered without it): taken for a refusal, a reminder the holder
    // got was recorded as skipped.
    return {
      state: 'sent',
      ...(answer.messageId ? { messageId: storableMessageId(answer.messageId, message.recipient) } : {}),
      replayed: response.headers['idempotent-replayed'] === 'true',
    };
  }

  async close(): Promise<void> {
    this.closeHttp();
  }
}
