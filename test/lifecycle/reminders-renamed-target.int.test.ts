/**
 * A reminder the gateway took, with its answer lost to a crash, is still `pending` in the ledger.
 * When the notify target is renamed before the next tick, the reminder goes to the target named
 * now under the idempotency key it was first sent with: the gateway replays its first answer and
 * the holder gets one message. A reminder first written under the new name is keyed on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyTarget, reminderIdempotencyKey } from '../../adapters/platforms/notify/notify-target.js';
import type { Config } from '../../config/types.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('a pending reminder whose notify target is renamed', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  async function tickWith(config: Readonly<Config>, today: string) {
    const rt = new Runtime(config, ws.rt.logger);
    try {
      return await sendDueReminders(rt, { today });
    } finally {
      await rt.close();
    }
  }
  /** The config with the gateway's notify target renamed `gateway-b`, the old name gone. */
  function renamedTarget(): Readonly<Config> {
    const { 'holder-sms': old, ...others } = ws.config.targets;
    const reminders = ws.config.lifecycle?.reminders ?? {};
    return {
      ...ws.config,
      targets: { ...others, 'gateway-b': old },
      lifecycle: {
        ...ws.config.lifecycle,
        reminders: Object.fromEntries(
          Object.entries(reminders).map(([type, r]) => [type, { ...r, target: 'gateway-b' }]),
        ),
      },
    } as Readonly<Config>;
  }
  const messagesOf = (n: number) =>
    ws.sim.messages().filter((m) => m.reference.startsWith(`${ws.licenseId(n)}:`));

  it('taken by the gateway before a crash: replayed under its first key, sent once', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340011' });
    // 30 days left, the gateway unreachable: the reminder is pending.
    expect(await tickWith(ws.withGateway('http://127.0.0.1:9', 300), '2026-03-01')).toMatchObject({
      failed: 1,
    });
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(row).toMatchObject({ state: 'pending', target: 'holder-sms' });
    // The message reached the gateway under the old name, and the process died before recording it.
    const config = ws.config.targets['holder-sms'];
    if (config?.kind !== 'notify' || !row) throw new Error('expected the notify target and the row');
    const old = new NotifyTarget('holder-sms', config);
    try {
      await old.send({
        key: row.key,
        recipient: '13912340011',
        params: { licenseType: 't', number: 'n', issuer: 'i', validTo: row.validTo, daysLeft: 30 },
      });
    } finally {
      await old.close();
    }
    expect(messagesOf(1)).toHaveLength(1);

    // The target renamed: the reminder goes out under its first key, and the gateway replays.
    const summary = await tickWith(renamedTarget(), '2026-03-02');
    expect(summary).toMatchObject({ sent: 1, replayed: 1, failed: 0 });
    expect(messagesOf(1)).toHaveLength(1);
    const [after] = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
    expect(after).toMatchObject({ state: 'sent', target: 'gateway-b' });
    // The audit digest is the key the gateway saw.
    const digests = (await ws.ledger.readAudit({ limit: 10_000 }))
      .filter((e) => e.action === 'remind' && e.licenseId === ws.licenseId(1))
      .map((e) => [(JSON.parse(e.detail) as { state: string }).state, e.digest]);
    expect(digests).toContainEqual(['sent', reminderIdempotencyKey('holder-sms', row.key)]);
  });

  it('first written under the new name: keyed on it, distinct from the old name', async () => {
    await ws.commit(2, '2026-04-30', { phone: '13912340012' });
    expect(await tickWith(renamedTarget(), '2026-04-01')).toMatchObject({ due: 1, sent: 1, replayed: 0 });
    const [message] = messagesOf(2);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    if (!row) throw new Error('expected the row');
    expect(message?.idempotencyKey).toBe(reminderIdempotencyKey('gateway-b', row.key));
    expect(message?.idempotencyKey).not.toBe(reminderIdempotencyKey('holder-sms', row.key));
  });
});
