/**
 * An uphold killed between its re-read and its decision (rules art. 16) leaves nothing lost: the
 * objection is still open, listed as open (and counted against its deadline), with no decision in
 * the audit chain but the uphold's start (an `objection-attempt`, `started`, recorded before the
 * re-read wrote the correction); the same uphold run again re-reads to no effect — the correction already a
 * version, not written a second time — and records the decision once. Run a third time it is
 * refused, saying the objection is upheld, and changes nothing.
 * Needs Redis, the demo workspace and the built CLI (the uphold is killed in its own process).
 */
import { expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { objectionWorkspace } from './objection-fixture.js';

const demo = objectionWorkspace(20);

const cli = (args: string[], env: Record<string, string> = {}) =>
  licbridge([...args, '--config', demo.ws.configFile], {
    env: { LICBRIDGE_ACTOR: 'clerk-9', ...env },
    timeoutMs: 120_000,
  });

it('an uphold killed after its re-read stays open and pending, and finishing it decides once', {
  timeout: 300_000,
}, async () => {
  const lic = demo.pickLicense();
  const opened = await cli(['objection', 'open', lic.id, '--unit', 'u', '--reason', 'r', '--json']);
  expect(opened.status, opened.stderr).toBe(0);
  const id = (JSON.parse(opened.stdout) as { objectionId: number }).objectionId;
  // The department corrected the row in its business system.
  demo.setPlace(lic.sourceKey, '青岛市黄岛区香江路9号（更正）');
  const uphold = (env: Record<string, string> = {}) =>
    cli(['objection', 'resolve', String(id), '--upheld', '--note', 'corrected', '--json'], env);
  const decisions = () =>
    demo.audit(lic.id).map((r) => ({
      action: r.action,
      step: r.detail.step,
      result: r.detail.result,
    }));
  const versions = () => demo.versionCount(lic.id);

  const killed = await uphold({ LICBRIDGE_TEST_CRASH_AT: 'objection-re-read:1' });
  expect(killed.signal, killed.stderr).toBe('SIGKILL');
  // The re-read wrote the correction as version 2; no decision was recorded, the uphold's start was.
  expect(versions()).toBe(2);
  expect(decisions().map((d) => d.step ?? d.result)).toEqual(['open', 'started']);

  // After the restart the objection is pending: listed open, as the deadline counts it.
  const listed = await cli(['objection', 'list', '--open', '--json']);
  expect(listed.status, listed.stderr).toBe(0);
  expect(
    (JSON.parse(listed.stdout) as { objectionId: number; state: string }[]).filter(
      (o) => o.objectionId === id,
    ),
  ).toEqual([expect.objectContaining({ objectionId: id, state: 'open' })]);

  // Finished: the re-read writes nothing new, and the decision names the version the killed run wrote.
  const finished = await uphold();
  expect(finished.status, finished.stderr).toBe(0);
  expect(JSON.parse(finished.stdout)).toMatchObject({
    objectionId: id,
    state: 'upheld',
    correctedVersion: 2,
  });
  expect(versions()).toBe(2);
  expect(
    decisions()
      .filter((d) => d.action === 'objection')
      .map((d) => d.step),
  ).toEqual(['open', 'upheld']);

  // Once more: refused (and audited as refused), nothing else changes.
  const again = await uphold();
  expect(again.status).toBe(2);
  expect(again.stderr).toContain(`objection: ${id} is already upheld`);
  expect(versions()).toBe(2);
  expect(
    decisions()
      .filter((d) => d.action === 'objection')
      .map((d) => d.step),
  ).toEqual(['open', 'upheld']);
});
