/**
 * Deliveries to a target that has left the config (renamed, removed) stay in the ledger, and no
 * worker delivers them: `dlq replay` leaves such dead letters dead, and open ones wait where no
 * sweep looks. `licbridge status` names both as needing a person, saying to put the target back or
 * discard, never to replay what replay leaves alone.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { licbridge, runOffline } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('status: deliveries to a target or of a pipeline no longer in the config', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it('names dead letters and open deliveries of the old target, exit 3', async () => {
    // The platform is unreachable and one attempt is allowed: every delivery becomes a dead letter.
    const { offline, run } = await runOffline(ws);
    const dead = run?.deadLettered.province;
    expect(dead).toBeGreaterThan(1);

    // The department renames the target: the old one's deliveries are still in the ledger.
    const renamed = join(ws.dir, 'renamed.yaml');
    await writeFile(
      renamed,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
        .replace('    targets: [province]\n', '    targets: [province-2027]\n')
        .replace('  province:\n    kind: rest-json', '  province-2027:\n    kind: rest-json'),
    );
    const replay = await licbridge(['dlq', 'replay', '--all', '--config', renamed]);
    expect(replay.stdout + replay.stderr).toContain('left dead');

    const bad = await licbridge(['status', '--no-sources', '--config', renamed]);
    expect(bad.status, bad.stdout).toBe(3);
    expect(bad.stdout).toContain(
      `pipeline ${PIPELINE}: ${dead} dead letter(s) for target province, which is no longer in the config; put the target back and replay them, or \`licbridge dlq discard\` them`,
    );
    expect(bad.stdout).not.toContain('dead letter(s) for target province; fix the cause, then replay them');

    // One of them open again (a delivery under way when the target was renamed): no worker takes it.
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        "update deliveries set state = 'pending' where rowid = (select min(rowid) from deliveries where target = 'province')",
      ).run();
    } finally {
      db.close();
    }
    const open = await licbridge(['status', '--no-sources', '--json', '--config', renamed]);
    expect(open.status, open.stdout).toBe(3);
    const json = JSON.parse(open.stdout) as { attention: string[]; attentionByKind: Record<string, number> };
    expect(json.attention).toContain(
      `pipeline ${PIPELINE}: 1 delivery(ies) to target province, which is no longer in the config, still open (pending or submitted); no worker delivers them: put the target back in the config, then \`licbridge run ${PIPELINE}\``,
    );
    // The other delivery-unqueued line is the new target's: the versions are owed to it as well.
    expect(json.attentionByKind['delivery-unqueued']).toBe(2);
    expect(json.attentionByKind['dead-letters']).toBe(1);

    // Discarded, the dead letters need nobody; the open one still does.
    const discard = await licbridge(['dlq', 'discard', '--target', 'province', '--all', '--config', offline]);
    expect(discard.status, discard.stderr).toBe(0);
    const after = await licbridge(['status', '--no-sources', '--json', '--config', renamed]);
    const left = JSON.parse(after.stdout) as { attention: string[]; attentionByKind: Record<string, number> };
    expect(left.attentionByKind['dead-letters']).toBe(0);
    expect(left.attention.filter((a) => a.includes('to target province, which is no longer'))).toHaveLength(
      1,
    );

    // The pipeline renamed instead, its target kept: the open delivery is the old pipeline's.
    const movedPipeline = join(ws.dir, 'pipeline-renamed.yaml');
    await writeFile(
      movedPipeline,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url }).replace(
        `  ${PIPELINE}:\n`,
        '  food-licenses-2027:\n',
      ),
    );
    const gone = await licbridge(['status', '--no-sources', '--json', '--config', movedPipeline]);
    expect(gone.status, gone.stdout).toBe(3);
    expect((JSON.parse(gone.stdout) as { attention: string[] }).attention).toContain(
      `pipeline ${PIPELINE} (no longer in the config): 1 delivery(ies) to target province still open (pending or submitted); no worker delivers them: put the pipeline back in the config, then \`licbridge run ${PIPELINE}\``,
    );
  }, 120_000);
});
