/**
 * A holder's stored contact that does not read (its JSON cut short by a disk or a hand) stopped the
 * reminders of every holder: the send read the contacts of all the reminders it had in hand at once
 * and the one that did not parse threw out of the tick, at every tick after. The scheduled tick's
 * job failed with it before it queued the day's `expire` versions, so the licenses the tick had
 * just expired never reached the platforms from it, nor from its retries (`done-today`, then the
 * same throw). That reminder is now skipped (`stored-text`), a warning naming its license id and
 * never a value of the contact; the other holders are reminded, and once a contact that reads is
 * written the reminder goes out.
 */
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, PG_URL } from '../ledger/backends.js';
import { type ReminderWorkspace, realDayWorkspace, tickJobQueues } from './reminders-fixture.js';

/** Rewrites the stored contact of `licenseId` as `text`, as a disk or a hand would. */
async function setStoredContact(ws: ReminderWorkspace, licenseId: string, text: string): Promise<void> {
  const url = ws.config.ledger.url;
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length));
    try {
      db.prepare('update holder_contacts set contact = ? where license_id = ?').run(text, licenseId);
    } finally {
      db.close();
    }
    return;
  }
  const schema = new URL(url).searchParams.get('schema') as string;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    await client.query('update holder_contacts set contact = $1 where license_id = $2', [text, licenseId]);
  } finally {
    await client.end();
  }
}

/** A runtime whose warnings are kept in `lines`. */
function warnings(ws: ReminderWorkspace, config = ws.config): { rt: Runtime; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { rt: new Runtime(config, createLogger({ level: 'warn', destination: sink })), lines };
}

for (const backend of BACKENDS) {
  describe(`reminders and a stored contact that does not read (${backend.name} ledger)`, () => {
    const ws = realDayWorkspace({ backend });

    it('reminds the other holders, skips that one naming its license, and sends it once the contact reads', async () => {
      const today = lifecycleToday(ws.config)();
      await ws.commit(1, addDays(today, 5), { phone: '13912340071' });
      await ws.commit(2, addDays(today, 6), { phone: '13912340072' });
      await setStoredContact(ws, ws.licenseId(1), '{"phone":"13912340071"');
      const { rt, lines } = warnings(ws);
      try {
        const result = await lifecycleTick(rt);
        expect(result.reminders).toMatchObject({ sent: 1, skipped: 1 });
        expect(ws.messagesOf(2)).toHaveLength(1);
        expect(ws.messagesOf(1)).toEqual([]);
        const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(1)]);
        expect(rows.map((r) => [r.state, r.reason])).toEqual([['skipped', 'stored-text']]);
        const warned = lines.join('\n');
        expect(warned).toContain(ws.licenseId(1));
        expect(warned).toContain('contact');
        expect(warned).not.toContain('13912340071');
        expect(warned).not.toContain('0071');
      } finally {
        await rt.close();
      }
      // The contact written again (a run reading its row): the next tick sends the reminder.
      await setStoredContact(ws, ws.licenseId(1), '{"phone":"13912340071"}');
      const again = await lifecycleTick(ws.rt);
      expect(again.reminders).toMatchObject({ sent: 1 });
      expect(ws.messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 5 }]);
      expect(ws.messagesOf(2)).toHaveLength(1);
    });
  });
}

describe('the scheduled tick and a stored contact that does not read', () => {
  const ws = realDayWorkspace();

  it('queues the day’s expiries all the same', async () => {
    const today = lifecycleToday(ws.config)();
    await ws.commit(11, addDays(today, -1), { phone: '13912340073' });
    await ws.commit(12, addDays(today, 3), { phone: '13912340074' });
    await setStoredContact(ws, ws.licenseId(12), '{"phone":');
    const { config, queues, close } = tickJobQueues(ws);
    const { rt } = warnings(ws, config);
    try {
      const result = await lifecycleJob(rt, queues, 'job-1');
      expect(result.expired).toEqual({ [ws.pipeline]: 1 });
      // The expire version is queued for signing, and so for the platforms.
      const signJobs = await queues.sign.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
      expect(signJobs.length).toBeGreaterThan(0);
    } finally {
      await close();
      await rt.close();
    }
  });
});
