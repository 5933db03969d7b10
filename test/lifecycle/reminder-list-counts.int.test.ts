/**
 * `licbridge lifecycle reminders` counts the ledger's reminders by state whatever `--limit` lists:
 * counted over the newest rows only, a reminder left pending behind newer sent ones read as none.
 */

import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReminders } from '../../pipelines/lifecycle/reminder-list.js';
import { licbridge } from '../support/cli.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('lifecycle reminders counts', () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('counts every row by state, not the listed page', async () => {
    await ws.commit(1, '2026-03-31', { phone: '13912340001' });
    await ws.commit(2, '2026-03-31', { phone: '13912340002' });
    const due = (n: number) => ({
      licenseId: ws.licenseId(n),
      version: 1,
      pipeline: ws.pipeline,
      target: 'holder-sms',
      threshold: 30,
      validTo: '2026-03-31',
      daysLeft: 30,
      dueDay: '2026-03-01',
    });
    const [first, second] = await ws.ledger.reminders.open([due(1), due(2)]);
    expect([first?.state, second?.state]).toEqual(['pending', 'pending']);
    // The second is answered afterwards: the newest row; the first stays pending behind it.
    await new Promise((r) => setTimeout(r, 5));
    await ws.ledger.reminders.record(
      [{ key: second?.key ?? '', state: 'sent', messageId: 'm-1', actor: 'target:holder-sms', digest: 'd' }],
      'tick:test',
    );

    const list = await listReminders(ws.config, ws.rt.logger, { today: '2026-03-01', limit: 1 });
    expect(list.reminders.map((r) => r.state)).toEqual(['sent']);
    expect(list.counts).toEqual({ pending: 1, sent: 1, skipped: 0, dropped: 0 });

    const cli = await licbridge(
      ['lifecycle', 'reminders', '--today', '2026-03-01', '--limit', '1', '--config', ws.config.file],
      { cwd: dirname(ws.config.file), timeoutMs: 30_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('1 sent, 1 pending, 0 skipped, 0 dropped');
    expect(cli.stdout).toContain('the newest 1 of 2 listed');
  });
});
