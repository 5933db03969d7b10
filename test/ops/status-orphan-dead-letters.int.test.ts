/**
 * Dead letters stay a state that needs a person when their pipeline has left the config: they are
 * still in the ledger, `licbridge dlq replay` leaves them dead, and only a person can put the
 * pipeline back or discard them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { licbridge, runOffline } from './ops-fixtures.js';

describe('status: dead letters of a pipeline no longer configured', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it('exits 3 and names them, until they are discarded', async () => {
    // The platform is unreachable and one attempt is allowed: every delivery becomes a dead letter.
    const { offline, run } = await runOffline(ws);
    const dead = run?.deadLettered.province;
    expect(dead).toBeGreaterThan(0);

    // The department renames the pipeline: the old one's dead letters are still in the ledger.
    const renamed = join(ws.dir, 'renamed.yaml');
    await writeFile(
      renamed,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url }).replace(
        '  food-business-licenses:\n',
        '  food-licenses-2027:\n',
      ),
    );
    const bad = await licbridge(['status', '--no-sources', '--config', renamed]);
    expect(bad.status, bad.stdout).toBe(3);
    expect(bad.stdout).toContain(
      `pipeline food-business-licenses (no longer in the config): ${dead} dead letter(s) for target province`,
    );
    const json = JSON.parse(
      (await licbridge(['status', '--no-sources', '--json', '--config', renamed])).stdout,
    ) as { attentionByKind: Record<string, number> };
    expect(json.attentionByKind['dead-letters']).toBe(1);

    const discard = await licbridge(['dlq', 'discard', '--target', 'province', '--all', '--config', offline]);
    expect(discard.status, discard.stderr).toBe(0);
    const after = await licbridge(['status', '--no-sources', '--config', renamed]);
    expect(after.status, after.stdout).toBe(0);
  }, 120_000);
});
