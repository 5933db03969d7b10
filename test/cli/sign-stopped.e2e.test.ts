/**
 * `sign backfill` stopped by SIGTERM finishes the page in flight, says it stopped early and exits
 * with the signal's code (143), as `licbridge run` does: a script running `sign backfill && …`
 * must not go on as if every version were signed. The rerun signs exactly the rest.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

const COUNT = 3000;

describe('sign backfill stopped by a signal', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
  });
  afterAll(() => ws.cleanup());

  const signatures = (): number => {
    const db = new Database(ws.ledgerFile, { readonly: true });
    try {
      return (db.prepare('select count(*) as n from signatures').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('exits with the signal’s code, not 0, and the rerun signs the rest', async () => {
    // Pages of one, and a progress line each second: the first line is the cue to stop it.
    const args = ['sign', 'backfill', '--page-size', '1', '--progress-interval', '1', '--json'];
    const stopped = await runCli([...args, '--config', ws.configFile], (child) => {
      child.stderr?.once('data', () => child.kill('SIGTERM'));
    });
    expect(stopped.signal, stopped.stderr).toBeNull();
    expect(stopped.status, stopped.stderr).toBe(143);
    const summary = JSON.parse(stopped.stdout) as { signed: number; remaining: number; stopped: boolean };
    expect(summary.stopped).toBe(true);
    expect(summary.signed).toBeGreaterThan(0);
    expect(summary.remaining).toBe(COUNT - summary.signed);
    expect(signatures()).toBe(summary.signed);

    const rest = await runCli(['sign', 'backfill', '--json', '--config', ws.configFile]);
    expect(rest.status, rest.stderr).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({
      signed: COUNT - summary.signed,
      remaining: 0,
      stopped: false,
    });
    expect(signatures()).toBe(COUNT);
  });
});
