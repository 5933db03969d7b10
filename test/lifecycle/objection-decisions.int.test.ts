/**
 * Every decision on an objection is in the audit chain and the outcome is told truthfully:
 * - an uphold the source does not bear out yet leaves the objection open, is recorded as an
 *   `objection-attempt` (ids, result and the note's digest, never the words), and the command
 *   exits 3 (it ran; a person has to correct the row), not 2 (a wrong command line);
 * - a rejection that lands while an uphold re-reads the source wins; the uphold is refused, naming
 *   the objection and its state and the corrected version it found, and the refusal is recorded;
 * - an upheld correction a later version takes back is a `status` finding (`objection-undone`),
 *   in text and in `--json`;
 * - an uphold whose re-read fails (here: Redis does not answer) leaves the objection open, recorded
 *   as `re-read-failed` with the error's code (never its message), and the re-read's own error
 *   reaches the operator.
 * Needs Redis and the demo workspace.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { VersionPageQuery } from '../../ledger/ledger.js';
import { ObjectionStaysOpen, upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { rejectObjection, upholdObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { licbridge } from '../support/cli.js';
import { failureOf, objectionWorkspace, PIPELINE } from './objection-fixture.js';

const demo = objectionWorkspace(20);

const cli = (...args: string[]) =>
  licbridge([...args, '--config', demo.ws.configFile], { env: { LICBRIDGE_ACTOR: 'clerk-9' } });

it('an uphold the source does not bear out stays open, is audited, and exits 3', {
  timeout: 180_000,
}, async () => {
  const lic = demo.pickLicense({ notObjected: true });
  const opened = await cli(
    'objection',
    'open',
    lic.id,
    '--unit',
    '某街道便民服务中心',
    '--reason',
    '地址有误',
    '--json',
  );
  expect(opened.status, opened.stderr).toBe(0);
  const id = (JSON.parse(opened.stdout) as { objectionId: number }).objectionId;

  const r = await cli('objection', 'resolve', String(id), '--upheld', '--note', '经营场所待更正', '--json');
  expect(r.status, r.stderr).toBe(3);
  expect(r.stderr).toContain(`objection: ${id} stays open: the source row of license ${lic.id}`);
  expect(r.stderr).not.toContain('[LB_USAGE]');
  expect(JSON.parse(r.stdout)).toMatchObject({ objectionId: id, state: 'open', correctedVersion: null });

  const audit = demo.audit(lic.id);
  expect(audit.map((a) => [a.action, a.actor, a.detail.step ?? a.detail.result])).toEqual([
    ['objection', 'operator:clerk-9', 'open'],
    ['objection-attempt', 'operator:clerk-9', 'started'],
    ['objection-attempt', 'operator:clerk-9', 'source-unchanged'],
  ]);
  expect(audit[2]?.detail).toMatchObject({ objection: id, decision: 'upheld', stateFound: 'open' });
  expect(audit[2]?.digest).toMatch(/^[0-9a-f]{64}$/);
  for (const words of ['街道', '地址', '经营场所']) expect(JSON.stringify(audit)).not.toContain(words);
  // Still open, and the chain still verifies with the new act in it.
  const state = demo.sql((db) => db.prepare('SELECT state FROM objections WHERE objection_id = ?').get(id));
  expect(state).toEqual({ state: 'open' });
  const verify = await cli('audit', 'verify');
  expect(verify.status, verify.stderr + verify.stdout).toBe(0);
});

it('a rejection landing while an uphold re-reads wins; the uphold is refused and recorded with its version', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  const { license: lic, objection } = await demo.objected({ notObjected: true });
  demo.setPlace(lic.sourceKey, '青岛市黄岛区长江中路9号（更正）');

  const rt = new Runtime(config, quietLogger());
  try {
    const ledger = await rt.ledger();
    // The first read of the license's versions comes once the re-read is done: the rejection
    // commits just then, between the uphold's re-read and its decision.
    const versionPage = ledger.versionPage.bind(ledger);
    let raced = false;
    ledger.versionPage = async (query: VersionPageQuery) => {
      if (!raced && query.licenseIds?.includes(lic.id)) {
        raced = true;
        await rejectObjection(ledger, objection.objectionId, 'reply sent');
      }
      return versionPage(query);
    };
    const refused = await upholdObjection(rt, objection.objectionId, 'corrected', {
      logger: quietLogger(),
    }).then(
      () => 'upheld',
      (e: Error) => e.message,
    );
    expect(raced).toBe(true);
    expect(refused).toContain(`objection: ${objection.objectionId} is already rejected`);
    expect(refused).toContain('so this uphold is refused');
    expect(refused).toContain(`version 2 of license ${lic.id}`);
  } finally {
    await rt.close();
  }
  expect(
    demo.sql((db) =>
      db
        .prepare('SELECT state, corrected_version AS v FROM objections WHERE objection_id = ?')
        .get(objection.objectionId),
    ),
  ).toEqual({ state: 'rejected', v: null });
  const audit = demo.audit(lic.id);
  expect(audit.map((a) => [a.action, a.detail.step ?? a.detail.result])).toEqual([
    ['objection', 'open'],
    ['objection-attempt', 'started'],
    ['objection', 'rejected'],
    ['objection-attempt', 'refused'],
  ]);
  expect(audit[3]?.detail).toMatchObject({
    objection: objection.objectionId,
    decision: 'upheld',
    stateFound: 'rejected',
    correctedVersion: 2,
  });

  // A second decision the other way round is refused the same way, and recorded too.
  const again = await cli('objection', 'resolve', String(objection.objectionId), '--rejected', '--note', 'x');
  expect(again.status).toBe(2);
  expect(again.stderr).toContain(`objection: ${objection.objectionId} is already rejected`);
  expect(demo.audit(lic.id).map((a) => a.detail.result ?? a.detail.step)).toEqual([
    'open',
    'started',
    'rejected',
    'refused',
    'refused',
  ]);
});

it('status flags an upheld correction a later source change undid, in text and --json', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  const { license: lic, objection } = await demo.objected({ notObjected: true });
  const before = demo.setPlace(lic.sourceKey, '青岛市黄岛区香江路7号（更正）');
  const upheld = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger());
  expect(upheld).toMatchObject({ state: 'upheld', correctedVersion: 2 });

  const kindCount = async () => {
    const r = await cli('status', '--no-sources', '--json');
    return (JSON.parse(r.stdout) as { attentionByKind: Record<string, number> }).attentionByKind[
      'objection-undone'
    ];
  };
  expect(await kindCount()).toBe(0);

  // The row is put back to what was objected to; the next run writes it as version 3.
  demo.setPlace(lic.sourceKey, before);
  await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  const line = `objection ${objection.objectionId} (rules art. 16): the correction upheld on license ${lic.id} (version 2) was undone by version 3`;
  const text = await cli('status', '--no-sources');
  expect(text.status).toBe(3);
  expect(text.stdout).toContain(line);
  const json = JSON.parse((await cli('status', '--no-sources', '--json')).stdout) as {
    attention: string[];
    attentionByKind: Record<string, number>;
  };
  expect(json.attentionByKind['objection-undone']).toBe(1);
  expect(json.attention.some((a) => a.startsWith(line))).toBe(true);

  // Corrected again at the source: the finding clears.
  demo.setPlace(lic.sourceKey, '青岛市黄岛区香江路7号（再更正）');
  await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  expect(await kindCount()).toBe(0);
});

it('an uphold whose re-read fails leaves the objection open and is audited with the error code only', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  const { license: lic, objection } = await demo.objected({ notObjected: true });
  // The re-read cannot start: the queues' Redis does not answer.
  const downFile = join(demo.ws.dir, 'licbridge-redis-down.yaml');
  await writeFile(
    downFile,
    (await readFile(demo.ws.configFile, 'utf8')).replace('redis://127.0.0.1:6379', 'redis://127.0.0.1:1'),
  );
  const down = await loadConfig({ file: downFile, env: {} });
  const failure = await failureOf(
    upholdObjectionFor(down, objection.objectionId, '经营场所待核实', quietLogger()),
  );
  // The re-read's own error reaches the operator, not a refusal or a held uphold.
  expect(failure).toBeInstanceOf(LicbridgeError);
  expect(failure).not.toBeInstanceOf(ObjectionStaysOpen);
  const code = (failure as LicbridgeError).code;
  expect(code).toBe(ErrorCodes.QUEUE_UNREACHABLE);

  expect(
    demo.sql((db) =>
      db
        .prepare(
          'SELECT state, corrected_version AS v, resolved_at AS at FROM objections WHERE objection_id = ?',
        )
        .get(objection.objectionId),
    ),
  ).toEqual({ state: 'open', v: null, at: null });
  const audit = demo.audit(lic.id);
  expect(audit.map((a) => [a.action, a.detail.step ?? a.detail.result])).toEqual([
    ['objection', 'open'],
    ['objection-attempt', 'started'],
    ['objection-attempt', 're-read-failed'],
  ]);
  expect(audit[2]?.actor).toBe(audit[0]?.actor);
  expect(audit[2]?.detail).toEqual({
    objection: objection.objectionId,
    decision: 'upheld',
    result: 're-read-failed',
    stateFound: 'open',
    correctedVersion: null,
    targets: null,
    errorCode: code,
  });
  expect(audit[2]?.digest).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(audit)).not.toContain('经营场所');

  // Redis back and the row corrected, the same objection is upheld: the attempt held nothing.
  demo.setPlace(lic.sourceKey, '青岛市黄岛区长江中路11号（更正）');
  const upheld = await upholdObjectionFor(config, objection.objectionId, 'corrected', quietLogger());
  expect(upheld).toMatchObject({ state: 'upheld', correctedVersion: 2 });
});
