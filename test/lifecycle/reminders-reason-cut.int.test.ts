/**
 * A failed attempt's reason is stored in `reminders.reason` cut to 200 characters, and shown by
 * `licbridge lifecycle reminders`. A gateway naming the recipient in its busy token
 * (`HTTP 503 (busy-zhangsan88)`) has it masked before anything keeps it; a target name and a
 * gateway origin long enough put the cut through that token, and a cut made before the masking
 * would keep the start of the recipient (`busy-zhangsa...`), which no masking of the whole value
 * finds after. A push recipient (an app user id) written in the gateway's own case was kept whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { gatewayReplying } from './reminder-gateways.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

/** Where the ledger cuts a reason: its first 197 characters are kept, then `...`. */
const KEPT = 197;
/** Characters of the recipient's token before the cut. */
const INSIDE = 7;

/** A gateway answering every message 503 with `{ code: 503, reason: reason(recipient) }`. */
const busyGateway = (reason: (recipient: string) => string) =>
  gatewayReplying(({ recipient }) => ({ status: 503, body: { code: 503, reason: reason(recipient) } }));

/**
 * The config with the notify target at `url` on `channel`, named so long that the ledger's cut of
 * `target <name>: reminder to <url> failed: HTTP 503 (<token>)` leaves INSIDE characters of the
 * token's part after `lead`.
 */
function longNamed(
  ws: ReminderWorkspace,
  url: string,
  channel: 'sms' | 'push',
  lead: string,
): Readonly<Config> {
  const { 'holder-sms': old, ...others } = ws.config.targets;
  if (old?.kind !== 'notify') throw new Error('expected the notify target');
  const around = `target : reminder to ${url} failed: HTTP 503 (${lead}`.length;
  const name = `holder-${channel}-${'x'.repeat(KEPT - INSIDE - around - `holder-${channel}-`.length)}`;
  const reminders = ws.config.lifecycle?.reminders ?? {};
  return {
    ...ws.config,
    targets: { ...others, [name]: { ...old, url, channel, timeoutMs: 2000 } },
    lifecycle: {
      ...ws.config.lifecycle,
      reminders: Object.fromEntries(Object.entries(reminders).map(([t, r]) => [t, { ...r, target: name }])),
    },
  } as Readonly<Config>;
}

/** Every run of `n` characters of `value`. */
const partsOf = (value: string, n: number): string[] =>
  Array.from({ length: value.length - n + 1 }, (_, i) => value.slice(i, i + n));

describe("a failed reminder's reason cut where the gateway named the recipient", () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  /** The reason stored for license `n`'s reminder after one tick on `config` for `today`. */
  async function storedReason(config: Readonly<Config>, today: string, n: number): Promise<string> {
    const rt = new Runtime(config, ws.rt.logger);
    try {
      expect(await sendDueReminders(rt, { today })).toMatchObject({ sent: 0, failed: 1 });
    } finally {
      await rt.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(n)]);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    return row?.reason ?? '';
  }

  it('keeps no part of an app user id the gateway wrote in its own case', async () => {
    const user = 'ZhangSan88';
    await ws.commit(80, '2034-03-31', { appUserId: user });
    const gw = await busyGateway((recipient) => `busy-${recipient.toLowerCase()}`);
    let stored: string;
    try {
      stored = await storedReason(longNamed(ws, gw.url, 'push', 'busy-'), '2034-03-10', 80);
    } finally {
      await gw.close();
    }
    expect(stored).toHaveLength(200);
    // Masked as a contact is, its last four kept (`******an88`), then cut.
    expect(stored.slice(stored.indexOf('HTTP 503'))).toBe('HTTP 503 (busy-******a...');
    for (const part of partsOf(user.toLowerCase(), 4).slice(0, -1))
      expect(stored.toLowerCase()).not.toContain(part);
  });

  it('keeps no part of a phone number the gateway wrote in fours', async () => {
    await ws.commit(81, '2035-03-31', { phone: '+86 139 1234 0081' });
    // `1391-2340-081`: grouped as no mobile number's shape is (3-4-4), with no run of seven digits.
    const gw = await busyGateway(
      (recipient) => `busy-${recipient.slice(3).replace(/^(\d{4})(\d{4})/, '$1-$2-')}`,
    );
    let stored: string;
    try {
      stored = await storedReason(longNamed(ws, gw.url, 'sms', 'busy-'), '2035-03-10', 81);
    } finally {
      await gw.close();
    }
    expect(stored).toHaveLength(200);
    expect(stored.slice(stored.indexOf('HTTP 503'))).toBe('HTTP 503 (busy-****-**...');
  });
});
