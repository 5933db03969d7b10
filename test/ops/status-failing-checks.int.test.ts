/**
 * `licbridge status` names submitted deliveries whose status checks fail (`delivery-checks-failing`)
 * with how many and the newest reason, while they are still submitted: before, the reason was seen
 * only once the job's last attempt had made them dead letters. A newer good answer ends the note.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingChecksAttention } from '../../pipelines/observability/delivery-attention.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge } from './ops-fixtures.js';

const SEAL = 'seal-failing-checks';
const TZ = 'Asia/Shanghai';

for (const backend of BACKENDS) {
  describe(`status: submitted deliveries whose status checks fail (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const checks = signedRuns(() => env.ledger, 'failing-checks', SEAL);
    const others = signedRuns(() => env.ledger, 'failing-others', SEAL);

    it('counts them per pipeline and target with the newest reason, until a newer answer comes', async () => {
      const ids = await checks(candidates(1, 3, { pipeline: 'failing-checks' }));
      const other = await others(candidates(1, 1, { pipeline: 'failing-others' }));
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      await deliverVersions(env.province, SEAL, env.ledger, other);
      // Submitted and asked once with an answer: under review, nothing failing.
      env.status = (k) => [{ key: k, status: 'submitted', platformId: `P-${k}`, errors: [] }];
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(await failingChecksAttention(env.ledger, 'failing-checks', ['province'], TZ)).toEqual([]);

      // Two of the three get an unknown status; the other pipeline's gets no result at all.
      const [first, second] = (await env.ledger.ensureDeliveries(ids, 'province')).map((d) => d.key);
      env.status = (k) =>
        k === first || k === second ? [{ key: k, status: 'frozen', platformId: `P-${k}`, errors: [] }] : [];
      await deliverVersions(env.province, SEAL, env.ledger, ids.slice(0, 2));
      await deliverVersions(env.province, SEAL, env.ledger, other);

      const notes = await failingChecksAttention(env.ledger, 'failing-checks', ['province', 'city'], TZ);
      expect(notes).toHaveLength(1);
      expect(notes[0]?.kind).toBe('delivery-checks-failing');
      expect(notes[0]?.message).toMatch(
        /^pipeline failing-checks: 2 submitted delivery\(ies\) to province whose status check fails \(last at \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \+08:00: platform answered with an unknown status `frozen`\); they stay submitted and become dead letters at their job's last attempt/,
      );
      expect(
        (await failingChecksAttention(env.ledger, 'failing-others', ['province'], TZ))[0]?.message,
      ).toContain('1 submitted delivery(ies) to province whose status check fails');
      expect(
        (await failingChecksAttention(env.ledger, 'failing-others', ['province'], TZ))[0]?.message,
      ).toContain(': platform answered without a result for this key)');

      // The platform answers again: still under review for one, accepted for the other.
      env.status = (k) =>
        k === first
          ? [{ key: k, status: 'submitted', platformId: `P-${k}`, errors: [] }]
          : [{ key: k, status: 'accepted', platformId: `P-${k}`, errors: [] }];
      await deliverVersions(env.province, SEAL, env.ledger, ids.slice(0, 2));
      expect(await failingChecksAttention(env.ledger, 'failing-checks', ['province'], TZ)).toEqual([]);
    });
  });
}

describe('licbridge status: submitted deliveries whose status checks fail', { timeout: 180_000 }, () => {
  let ws: DemoWorkspace;
  const sql = (statement: string) => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(statement).run();
    } finally {
      db.close();
    }
  };
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    const run = await licbridge(['run', '--all', '--json', '--config', ws.configFile]);
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('exits 3 naming them with the reason, and 0 once a newer answer cleared it', async () => {
    // Two deliveries the platform holds for review, the last status request for each undecided.
    sql(`update deliveries set state = 'submitted', last_error = 'platform answered with an unknown status \`frozen\`'
          where rowid in (select rowid from deliveries order by version_id limit 2)`);
    const bad = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(bad.status, bad.stdout).toBe(3);
    expect(bad.stdout).toContain(
      'pipeline food-business-licenses: 2 submitted delivery(ies) to province whose status check fails (last at ',
    );
    expect(bad.stdout).toContain(': platform answered with an unknown status `frozen`); they stay submitted');
    const json = JSON.parse(
      (await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile])).stdout,
    ) as { attentionByKind: Record<string, number> };
    expect(json.attentionByKind['delivery-checks-failing']).toBe(1);

    sql(`update deliveries set state = 'accepted', last_error = null where state = 'submitted'`);
    const good = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(good.status, good.stdout).toBe(0);
  });
});
