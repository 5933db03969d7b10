/**
 * `licbridge lifecycle run` stopped by SIGTERM while a gateway holds one of its reminders. The
 * signal used to end the process on Node's default handler, after the gateway took the message and
 * before the ledger recorded it sent: the next tick waited out the claim and sent it again, and a
 * gateway that does not keep the key (or forgot it) reached the holder twice. Now the tick asks
 * for no further reminder, records the answer of the one in flight, lets its claims go, prints
 * its summary saying it was stopped and exits 143; the next tick sends only what was left.
 * Needs `npm run build`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { holdingGateway } from './reminder-gateways.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

describe('lifecycle run stopped by SIGTERM mid-send', () => {
  let ws: ReminderWorkspace;
  let gw: Awaited<ReturnType<typeof holdingGateway>>;
  let configFile: string;
  // Its own queues: the `meta` keys its commands leave under it, not the workspace's prefix.
  const prefix = `lb-stop-${randomUUID()}`;
  beforeAll(async () => {
    ws = await reminderWorkspace();
    gw = await holdingGateway();
    for (const n of [1, 2, 3]) await ws.commit(n, '2027-03-31', { phone: `1391235${n}000` });
    // The workspace's config on the holding gateway, derived expiry off (its versions are not
    // signed: only reminders are sent), and queues of its own.
    const yaml = (await readFile(ws.configFile, 'utf8'))
      .replace(`url: "${ws.sim.url}"`, `url: "${gw.url}"`)
      .replace('    targets: [province]\n', '    targets: [province]\n    expiry: false\n');
    configFile = join(dirname(ws.configFile), 'stop.yaml');
    await writeFile(configFile, `queue: { prefix: "${prefix}" }\n${yaml}`);
  });
  afterAll(async () => {
    gw?.release();
    await gw?.close();
    await ws?.close();
    await obliterate(prefix);
  });

  it('records the reminder in flight once, exits 143, and the next tick sends only the rest, once', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'lifecycle', 'run', '--today', '2027-03-10', '--json', '--config', configFile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'warn' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    await Promise.race([gw.held, exited(child)]);
    expect(gw.references, stderr).toHaveLength(1);
    child.kill('SIGTERM');
    // The gateway answers the message it holds once the signal has reached the command.
    setTimeout(() => gw.release(), 300);
    await exited(child);
    expect(child.signalCode, stderr).toBeNull();
    expect(child.exitCode, stderr).toBe(143);
    const summary = JSON.parse(stdout) as { stoppedBy: string; reminders: Record<string, unknown> };
    expect(summary.stoppedBy).toBe('SIGTERM');
    expect(summary.reminders).toMatchObject({ due: 3, sent: 1, stopped: { signal: 'SIGTERM', left: 2 } });
    // The reminder in flight at the signal is recorded sent; the two never asked stay pending.
    const first = gw.references[0] as string;
    const rows = await ws.ledger.reminders.forLicenses([1, 2, 3].map(ws.licenseId));
    expect(rows.map((r) => [r.key === first, r.state, r.attempts]).sort()).toEqual([
      [false, 'pending', 0],
      [false, 'pending', 0],
      [true, 'sent', 0],
    ]);

    const next = await licbridge(
      ['lifecycle', 'run', '--today', '2027-03-10', '--json', '--config', configFile],
      {
        timeoutMs: 60_000,
      },
    );
    expect(next.status, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).reminders).toMatchObject({ sent: 2, failed: 0 });
    // Each reminder asked of the gateway once: the one in flight at the signal was not sent again.
    expect([...gw.references].sort()).toEqual([1, 2, 3].map((n) => `${ws.licenseId(n)}:1:30`).sort());
  });
});
