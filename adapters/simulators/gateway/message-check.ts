/**
 * What the simulated message gateway accepts as one message (`POST /messages`), checked
 * independently of the client's `notify/message.ts`: a field the client forgot or misnamed fails
 * here instead of passing every test.
 */

export interface ReceivedMessage {
  /** The gateway's id for it. */
  messageId: string;
  channel: 'sms' | 'push';
  recipient: string;
  template: string;
  sender?: string;
  params: Record<string, string | number>;
  reference: string;
  idempotencyKey: string;
  /** Unix ms. */
  receivedAt: number;
}

export type CheckedMessage =
  | { ok: true; message: Omit<ReceivedMessage, 'messageId' | 'idempotencyKey' | 'receivedAt'> }
  | { ok: false; reason: string; message: string };

const PARAMS = ['licenseType', 'number', 'issuer', 'validTo', 'daysLeft'] as const;

export function checkMessage(raw: Buffer): CheckedMessage {
  let doc: unknown;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'bad-json', message: 'request body is not JSON' };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return { ok: false, reason: 'bad-request', message: 'expected a JSON object' };
  const d = doc as Record<string, unknown>;
  if (d.channel !== 'sms' && d.channel !== 'push')
    return { ok: false, reason: 'bad-channel', message: 'channel must be sms or push' };
  if (typeof d.recipient !== 'string' || d.recipient === '')
    return { ok: false, reason: 'no-recipient', message: 'recipient is required' };
  if (d.channel === 'sms' && !/^\+?[0-9]{5,15}$/.test(d.recipient))
    return { ok: false, reason: 'bad-recipient', message: 'an sms recipient is a phone number' };
  if (typeof d.template !== 'string' || d.template === '')
    return { ok: false, reason: 'no-template', message: 'template is required' };
  if (typeof d.reference !== 'string' || d.reference === '')
    return { ok: false, reason: 'no-reference', message: 'reference is required' };
  const params = d.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    return { ok: false, reason: 'bad-params', message: 'params must be an object' };
  const p = params as Record<string, unknown>;
  for (const name of PARAMS) {
    const v = p[name];
    if (typeof v !== 'string' && typeof v !== 'number')
      return { ok: false, reason: 'bad-params', message: `params.${name} is required` };
  }
  if (typeof p.validTo !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.validTo))
    return { ok: false, reason: 'bad-params', message: 'params.validTo must be YYYY-MM-DD' };
  if (typeof p.daysLeft !== 'number' || !Number.isInteger(p.daysLeft) || p.daysLeft < 0)
    return { ok: false, reason: 'bad-params', message: 'params.daysLeft must be a whole number ≥ 0' };
  return {
    ok: true,
    message: {
      channel: d.channel,
      recipient: d.recipient,
      template: d.template,
      ...(typeof d.sender === 'string' ? { sender: d.sender } : {}),
      params: p as Record<string, string | number>,
      reference: d.reference,
    },
  };
}
