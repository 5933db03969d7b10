/**
 * With Redis unreachable, `licbridge status` cannot read the installed schedules: a scheduled
 * pipeline's next run is then the config's next tick, said to be unconfirmed, never "not
 * scheduled" (which reads as the schedule being gone).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { licbridge } from './ops-fixtures.js';

describe('status: next run while Redis is down', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    // `status` never migrates the ledger: the new one is migrated as a run would.
    const url = `sqlite://${join(ws.dir, 'data', 'ledger.db')}`;
    await (await openLedger(url, { logger: createLogger({ level: 'silent' }) })).close();
  });
  afterAll(async () => ws?.cleanup());

  it('gives the config schedule as unconfirmed, and an unscheduled pipeline as not scheduled', async () => {
    const yaml = demoConfigYaml({
      prefix: ws.prefix,
      simulatorUrl: ws.simulator.url,
      redis: 'redis://127.0.0.1:1',
    });
    const scheduled = join(ws.dir, 'scheduled.yaml');
    await writeFile(
      scheduled,
      yaml.replace('    pageSize: 100\n', '    pageSize: 100\n    schedule: "0 2 * * *"\n'),
    );
    const r = await licbridge(['status', '--no-sources', '--config', scheduled]);
    expect(r.status, r.stdout).toBe(3);
    expect(r.stdout).toContain('queues: Redis not reachable');
    // On the clock of lifecycle.timeZone (Asia/Shanghai by default), as `licbridge schedule` shows it.
    expect(r.stdout).toMatch(
      /next run: \d{4}-\d\d-\d\d 02:00 \+08:00 \(from the config; Redis not reachable, so whether the schedule is installed is unknown\)/,
    );
    expect(r.stdout).not.toContain('next run: not scheduled');

    const plain = join(ws.dir, 'plain.yaml');
    await writeFile(plain, yaml);
    const p = await licbridge(['status', '--no-sources', '--config', plain]);
    expect(p.stdout).toContain('next run: not scheduled');
  }, 60_000);
});
