/**
 * Every reminder a tick reads lands in one count of its summary: sent, failed, skipped, dropped,
 * deferred, or byOtherTick when another tick running at the same time closed it. Two reads of the
 * second step counted none: a reminder the tick found due that another tick had written and sent
 * by the time this one wrote it (`open` answers it `sent`), and one this tick claimed and read
 * again before sending (a run revoked its license meanwhile) whose drop found it closed by the
 * other tick's `sent` (recorded whoever holds the row). Each was read, and said nowhere. One this
 * tick skipped (no contact) after the other tick's `sent` closed it was counted `skipped`, though
 * the holder had the message: the other tick's outcome. So was one whose send failed here after
 * the other tick's `sent` closed it: counted `failed` (still pending, for the next tick), though
 * nothing was left pending.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { listenLocal } from '../support/listen-local.js';
import { outcomes, sentByOther } from './other-tick-fixture.js';
import { blockWorkspace } from './reminders-fixture.js';

/** 21 days before VALID_TO: the 30-day reminder is due. */
const TODAY = '2027-03-10';
const VALID_TO = '2027-03-31';

describe('a reminder another tick closes while this tick has it in hand', () => {
  const ws = blockWorkspace();
  const runtimes: Runtime[] = [];

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const rt of runtimes.splice(0)) await rt.close();
  });

  async function tickRuntime(config = ws.config) {
    const rt = new Runtime(config, quietLogger);
    runtimes.push(rt);
    return { rt, store: (await rt.ledger()).reminders };
  }

  it('is counted byOtherTick when written and sent by the other tick before this one writes it', async () => {
    await ws.commit(1, VALID_TO, { phone: '13912391001' });
    const { rt, store } = await tickRuntime();
    const open = store.open;
    // The other tick, due the same reminder, writes and sends it between this tick's read of the
    // license and its write: this tick's write finds the row there, sent.
    vi.spyOn(store, 'open').mockImplementationOnce(async (fresh) => {
      await sentByOther(ws.ledger.reminders, await open(fresh));
      return open(fresh);
    });
    const before = ws.sim.messages().length;

    const s = await sendDueReminders(rt, { today: TODAY });

    expect(s).toMatchObject({ due: 1, sent: 0, failed: 0, skipped: 0, dropped: 0, byOtherTick: 1 });
    expect(outcomes(s)).toBe(s.due);
    expect(ws.sim.messages().length).toBe(before);
  });

  it('is counted byOtherTick when the other tick’s send closes it before this one’s drop', async () => {
    await ws.commit(2, VALID_TO, { phone: '13912392001' });
    const { rt, store } = await tickRuntime();
    const licenseStates = store.licenseStates;
    // This tick has claimed the reminder and reads its license again before sending: a run has
    // revoked it, and the other tick, whose claim ran out during its send, records its answer.
    vi.spyOn(store, 'licenseStates').mockImplementationOnce(async (licenseIds) => {
      await ws.commit(2, VALID_TO, { phone: '13912392001' }, undefined, undefined, 'revoked');
      await sentByOther(ws.ledger.reminders, await ws.ledger.reminders.forLicenses([ws.licenseId(2)]));
      return licenseStates(licenseIds);
    });
    const before = ws.sim.messages().length;

    const s = await sendDueReminders(rt, { today: TODAY });

    expect(s).toMatchObject({ due: 1, sent: 0, failed: 0, skipped: 0, dropped: 0, byOtherTick: 1 });
    expect(outcomes(s)).toBe(s.due);
    expect(ws.sim.messages().length).toBe(before);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(row?.state).toBe('sent');
  });

  it('is counted byOtherTick, not skipped, when the other tick’s send closes it before this one’s skip', async () => {
    // No contact now: this tick skips it. The other tick read the contact before a run removed it.
    await ws.commit(3, VALID_TO, {});
    const { rt, store } = await tickRuntime();
    const contacts = store.contacts;
    vi.spyOn(store, 'contacts').mockImplementationOnce(async (licenseIds) => {
      await sentByOther(ws.ledger.reminders, await ws.ledger.reminders.forLicenses([ws.licenseId(3)]));
      return contacts(licenseIds);
    });

    const s = await sendDueReminders(rt, { today: TODAY });

    expect(s).toMatchObject({ due: 1, sent: 0, failed: 0, skipped: 0, dropped: 0, byOtherTick: 1 });
    expect(outcomes(s)).toBe(s.due);
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(3)]);
    expect(row?.state).toBe('sent');
  });

  it('is counted byOtherTick, not failed, when the other tick’s send closes it before this one’s fails', async () => {
    await ws.commit(4, VALID_TO, { phone: '13912394001' });
    // A gateway that does not answer this tick's send, and the other tick's answer recorded meanwhile.
    const gw = await listenLocal(
      createServer((req, res) => {
        req.resume();
        req.on('end', async () => {
          await sentByOther(ws.ledger.reminders, await ws.ledger.reminders.forLicenses([ws.licenseId(4)]));
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 503, reason: 'unavailable' }));
        });
      }),
    );
    try {
      const { rt } = await tickRuntime(ws.withGateway(gw.origin));
      const s = await sendDueReminders(rt, { today: TODAY });
      expect(s).toMatchObject({ due: 1, sent: 0, failed: 0, skipped: 0, dropped: 0, byOtherTick: 1 });
      expect(outcomes(s)).toBe(s.due);
    } finally {
      await gw.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(4)]);
    expect(row?.state).toBe('sent');
  });
});
