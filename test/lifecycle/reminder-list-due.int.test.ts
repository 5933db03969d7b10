/**
 * `licbridge lifecycle reminders` on the reminders due and not yet written:
 * - `--pipeline` lists that pipeline's, however many the other pipelines have due: the list was cut
 *   at `--limit` over every pipeline first and filtered after, so a pipeline whose licenses sort
 *   after another's showed "0 due" while its holders were about to be reminded;
 * - the count is every reminder due, not the `--limit` listed ("1 due" with two due).
 */
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { listReminders } from '../../pipelines/lifecycle/reminder-list.js';
import { licbridge } from '../support/cli.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const TODAY = '2026-03-01';

describe('lifecycle reminders: those due', () => {
  let ws: ReminderWorkspace;
  let config: Readonly<Config>;
  beforeAll(async () => {
    ws = await reminderWorkspace();
    // A second pipeline of the same license type, whose licenses sort first.
    const food = ws.config.pipelines[ws.pipeline];
    config = { ...ws.config, pipelines: { ...ws.config.pipelines, bakery: food } } as Readonly<Config>;
    await ws.commit(1, '2026-03-31', { phone: '13912340051' }, undefined, 'bakery');
    await ws.commit(2, '2026-03-31', { phone: '13912340052' }, undefined, 'bakery');
    await ws.commit(3, '2026-03-31', { phone: '13912340053' });
    await ws.commit(4, '2026-03-31', { phone: '13912340054' });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('lists a pipeline’s due reminders whatever the others have due', async () => {
    const list = await listReminders(config, ws.rt.logger, { today: TODAY, pipeline: ws.pipeline, limit: 1 });
    expect(list.due.map((d) => d.licenseId)).toEqual([ws.licenseId(3)]);
    expect(list.dueTotal).toBe(2);
  });

  it('counts every reminder due, and says when the list is cut', async () => {
    const list = await listReminders(config, ws.rt.logger, { today: TODAY, limit: 2 });
    expect(list.due.map((d) => d.licenseId)).toEqual([ws.licenseId(1), ws.licenseId(2)]);
    expect(list.dueTotal).toBe(4);

    // The command, on the config file (pipeline `food` only): two due, one listed.
    const cli = await licbridge(
      ['lifecycle', 'reminders', '--today', TODAY, '--limit', '1', '--config', ws.config.file],
      { cwd: dirname(ws.config.file), timeoutMs: 30_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('0 dropped; 2 due, not yet sent\n');
    expect(cli.stdout).toContain('  the first 1 of 2 due listed (`--limit` for more)\n');
  });
});
