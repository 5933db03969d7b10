/**
 * An objection is upheld only once its correction has gone out: a corrected version the platform
 * has not accepted (dead-lettered, say) leaves the platform showing what was objected to, so the
 * objection stays open, saying which target holds it up; once the target has accepted it, the
 * objection is upheld with that version. A source row restored afterwards to what was objected to
 * takes the correction back, and the objection list says so. Needs Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import { listObjectionsFor, upholdObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { objectionWorkspace, PIPELINE } from './objection-fixture.js';

const demo = objectionWorkspace(10);

it('a correction the platform has not accepted keeps the objection open; accepted, it upholds it', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  const { license: lic, objection } = await demo.objected();

  // The department corrects the row; the ordinary sync carries it as version 2 …
  const before = demo.setPlace(lic.sourceKey, '青岛市黄岛区长江中路1号（更正）');
  // (a full read, as an uphold's re-read is: an incremental one need not see a row changed in place)
  await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  const delivery = (state: string) =>
    demo.sql((db) =>
      db
        .prepare(
          "UPDATE deliveries SET state = ? WHERE target = 'province' AND version_id = (SELECT version_id FROM license_versions WHERE license_id = ? AND version = 2)",
        )
        .run(state, lic.id),
    );
  // … which the province refused: its delivery is a dead letter.
  expect(delivery('dead').changes).toBe(1);

  const refused = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger()).then(
    () => 'upheld',
    (e: Error) => e.message,
  );
  expect(refused).toContain(`objection: ${objection.objectionId} stays open`);
  expect(refused).toContain('province (dead)');
  const state = () =>
    demo.sql((db) =>
      db
        .prepare('SELECT state, corrected_version AS v FROM objections WHERE objection_id = ?')
        .get(objection.objectionId),
    );
  expect(state()).toEqual({ state: 'open', v: null });
  expect(refused).toContain('`licbridge dlq replay`');

  // Discarded, the dead letter is no longer one `dlq replay` takes: a repair sends it again.
  delivery('discarded');
  const discarded = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger()).then(
    () => 'upheld',
    (e: Error) => e.message,
  );
  expect(discarded).toContain('province (discarded)');
  expect(discarded).toContain(`\`licbridge reconcile ${PIPELINE} --target province --repair --yes\``);
  expect(discarded).not.toContain('dlq replay');
  expect(state()).toEqual({ state: 'open', v: null });

  // The dead letter replayed and accepted: the correction is out, and upholds the objection.
  delivery('accepted');
  const upheld = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger());
  expect(upheld).toMatchObject({ state: 'upheld', versionAtOpen: 1, correctedVersion: 2 });
  const steps = demo
    .audit(lic.id)
    .filter((a) => a.action === 'objection')
    .map((a) => a.detail.step);
  expect(steps).toEqual(['open', 'upheld']);

  // The row is later restored to what was objected to: the next run writes that as version 3, as it
  // writes whatever the source holds, and the list says the upheld correction was taken back.
  demo.setPlace(lic.sourceKey, before);
  await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  const [listed] = (await listObjectionsFor(config, { state: 'upheld' })).filter(
    (o) => o.objectionId === objection.objectionId,
  );
  expect(listed).toMatchObject({ state: 'upheld', correctedVersion: 2, correctionUndoneBy: 3 });
});

it('a target that never accepted any version of the license does not hold the objection open', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  expect(config.pipelines[PIPELINE]?.targets).toEqual(['province']);
  const { license: lic, objection } = await demo.objected({ last: true });
  demo.setPlace(lic.sourceKey, '青岛市黄岛区香江路2号（更正）');
  await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  // The province refused the license from its first version on: it never showed what was objected
  // to, and no correction can reach it there.
  const dead = demo.sql((db) =>
    db
      .prepare(
        "UPDATE deliveries SET state = 'dead' WHERE target = 'province' AND version_id IN (SELECT version_id FROM license_versions WHERE license_id = ?)",
      )
      .run(lic.id),
  );
  expect(dead.changes).toBe(2);
  const upheld = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger());
  expect(upheld).toMatchObject({ state: 'upheld', versionAtOpen: 1, correctedVersion: 2 });
});
