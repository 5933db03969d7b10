/**
 * The wire format of a reminder at a message gateway, and of its answer.
 *
 * Request (`POST <url>/messages`):
 * ```json
 * { "channel": "sms", "recipient": "13800138000", "template": "license-expiry", "sender": "…",
 *   "params": { "licenseType": "…", "number": "…", "issuer": "…", "validTo": "2026-12-31", "daysLeft": 30 },
 *   "reference": "<reminder key>" }
 * ```
 * Answer: `{ "code": 0, "messageId": "…" }` (the code a number, or its digits as a string: `"0"`);
 * a busy `code` (5xx-like, 429, 408) is tried again, `401` or `403` refuses the credentials and
 * `404`, `405`, `409` or `413` the request (as those HTTP statuses do: notify-target.ts), any other
 * `code` (with a short `reason`) refuses the message.
 *
 * The message names the license, never its holder: the recipient is all the gateway needs.
 */
import { scrubPersonal } from '../../../core/scrub.js';
import { answerCode } from '../shared/answer-code.js';
import { idText, parseKeepingIds } from '../shared/exact-ids.js';
import type { NotifyTargetConfig } from './config.js';

// A gateway numbering its messages with 64-bit integers writes them bare: every digit is kept.
const MESSAGE_ID_KEYS: ReadonlySet<string> = new Set(['messageId']);

export interface ReminderParams {
  /** License type name, as the catalog has it. */
  licenseType: string;
  /** The number printed on the license. */
  number: string;
  issuer: string;
  /** `YYYY-MM-DD`. */
  validTo: string;
  daysLeft: number;
}

export interface ReminderMessage {
  /** The reminder's key, `<licenseId>:<version>:<threshold>`; its idempotency key derives from it. */
  key: string;
  /**
   * The target name the idempotency key derives from: the one the reminder was first sent under,
   * which a renamed target keeps. @defaultValue the sending target's name
   */
  keyTarget?: string;
  /** Phone number (sms) or app user id (push). Personal data: the request body only. */
  recipient: string;
  /** Overrides the target's template. */
  template?: string;
  params: ReminderParams;
}

export function toRequestBody(
  m: ReminderMessage,
  config: Pick<NotifyTargetConfig, 'channel' | 'template' | 'sender'>,
) {
  return {
    channel: config.channel,
    recipient: m.recipient,
    template: m.template ?? config.template,
    ...(config.sender ? { sender: config.sender } : {}),
    params: m.params,
    reference: m.key,
  };
}

export interface GatewayAnswer {
  code: number;
  /** As the gateway wrote it: not stored before storableMessageId (notify-target.ts). */
  messageId?: string;
  /**
   * A short machine token, its numbers masked (scrubPersonal); free text is dropped (it may echo the
   * recipient).
   */
  reason?: string;
}

export function parseGatewayAnswer(text: string): GatewayAnswer | undefined {
  let doc: unknown;
  try {
    doc = parseKeepingIds(text, MESSAGE_ID_KEYS);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const { code, messageId: given, reason } = doc as Record<string, unknown>;
  // A string, or an integer as its digits: an id given as a JSON number, read as no id at all,
  // made a message the gateway took a refused one.
  const messageId = idText(given);
  // A number, or its digits as a string (../shared/answer-code.ts).
  const number = answerCode(code);
  if (number === undefined) return undefined;
  return {
    code: number,
    // In the gateway's own form, whatever it is (`900619746936498440^0`, base64): `code: 0` says the
    // message was taken. The target keeps an id of another form only as a digest (storableMessageId).
    ...(messageId !== null && messageId !== '' ? { messageId } : {}),
    // Kept as the reminder's reason (`gateway-refused:<reason>`) in reminders.reason and the audit
    // chain, hash-chained and never cleaned later: a token naming the number refused, in its groups
    // too (`110101-900307-123`, `no-route-138-0013-8000`), is masked here, before anything keeps it.
    ...(typeof reason === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(reason)
      ? { reason: scrubPersonal(reason, [], () => '***') }
      : {}),
  };
}
