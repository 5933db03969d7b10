/**
 * A correction whose delivery a repair holds back as answered a duplicate is accepted in name only:
 * the platform answered its key as one it had, and shows an older version — what was objected to
 * (ledger/reconcile-duplicates.ts; the art. 10 clock counts it as owed too). Upholding on it would
 * record a correction that platform does not show: the objection stays open, naming the target,
 * and says what gets the correction there. Once the delivery is let go and accepted, it upholds.
 * Needs Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import { upholdObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { objectionWorkspace, PIPELINE } from './objection-fixture.js';

const demo = objectionWorkspace(10);

it('a correction held back as an answered duplicate keeps the objection open', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  const { license: lic, objection } = await demo.objected();
  demo.setPlace(lic.sourceKey, '青岛市黄岛区长江中路3号（更正）');
  await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  // The province accepted version 2 once; a repair since found it showing version 1 and its
  // re-delivery of version 2 answered as a duplicate, and held that delivery back.
  const hold = (repair: string | null) =>
    demo.sql((db) =>
      db
        .prepare(
          "UPDATE deliveries SET state = 'accepted', duplicate_repair = ? WHERE target = 'province' AND version_id = (SELECT version_id FROM license_versions WHERE license_id = ? AND version = 2)",
        )
        .run(repair, lic.id),
    );
  expect(hold('repair-1').changes).toBe(1);

  const held = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger()).then(
    () => 'upheld',
    (e: Error) => e.message,
  );
  expect(held).toContain(`objection: ${objection.objectionId} stays open`);
  expect(held).toContain('province (held-duplicate)');
  expect(held).toContain(
    `\`licbridge reconcile ${PIPELINE} --target province --repair --yes --resend-duplicates\``,
  );
  const state = () =>
    demo.sql((db) =>
      db
        .prepare('SELECT state, corrected_version AS v FROM objections WHERE objection_id = ?')
        .get(objection.objectionId),
    );
  expect(state()).toEqual({ state: 'open', v: null });
  const attempt = demo
    .audit(lic.id)
    .filter((a) => a.action === 'objection-attempt')
    .at(-1);
  expect(attempt?.detail).toMatchObject({ result: 'not-delivered', targets: 'province:held-duplicate' });

  // Let go and sent again, the platform takes it: the correction is out.
  hold(null);
  const upheld = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger());
  expect(upheld).toMatchObject({ state: 'upheld', versionAtOpen: 1, correctedVersion: 2 });
});
