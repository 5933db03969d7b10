/**
 * The message gateway simulator with a state file: what it sent and the first answer to each
 * idempotency key outlive a restart, and are on disk before the answer goes out. A gateway that
 * forgot them on a restart sent a reminder a second time when the caller retried its key.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type GatewaySimulator,
  startGatewaySimulator,
} from '../../adapters/simulators/gateway/gateway-simulator.js';

const running: GatewaySimulator[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function stateFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-gateway-state-'));
  dirs.push(dir);
  return join(dir, 'gateway.db');
}

async function start(file: string): Promise<GatewaySimulator> {
  const sim = await startGatewaySimulator({ stateFile: file });
  running.push(sim);
  return sim;
}

const body = (reference: string, recipient = '13912340001') =>
  JSON.stringify({
    channel: 'sms',
    recipient,
    template: 'license-expiry',
    reference,
    params: {
      licenseType: '食品经营许可证',
      number: 'JY1',
      issuer: '某局',
      validTo: '2026-03-31',
      daysLeft: 30,
    },
  });

async function send(url: string, key: string, text: string) {
  const res = await fetch(`${url}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: text,
  });
  return {
    replayed: res.headers.get('idempotent-replayed') === 'true',
    body: (await res.json()) as { code: number; messageId?: string },
  };
}

describe('gateway simulator: state across restarts', () => {
  it('answers a key sent before a restart from memory, and sends nothing again', async () => {
    const file = await stateFile();
    const first = await start(file);
    const sent = await send(first.url, 'K1', body('L1:1:30'));
    expect(sent).toMatchObject({ replayed: false, body: { code: 0 } });
    await send(first.url, 'K2', body('L2:1:30', '13900000000'));
    await first.close();

    const again = await start(file);
    const retried = await send(again.url, 'K1', body('L1:1:30'));
    expect(retried).toEqual({ replayed: true, body: sent.body });
    expect(again.messages().map((m) => [m.idempotencyKey, m.reference, m.messageId])).toEqual([
      ['K1', 'L1:1:30', sent.body.messageId],
      ['K2', 'L2:1:30', expect.any(String)],
    ]);
    expect(again.stats()).toMatchObject({ requests: 3, sent: 2, replays: 1 });
    // The recipients are personal data: owner-only, as the province simulator's state.
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('has a message on disk before it answers: a second gateway on the file knows its key', async () => {
    const file = await stateFile();
    const first = await start(file);
    const sent = await send(first.url, 'K9', body('L9:1:7'));
    // No close: the first one may die now. The second reads what was answered.
    const second = await start(file);
    expect(await send(second.url, 'K9', body('L9:1:7'))).toEqual({ replayed: true, body: sent.body });
    expect(second.messages()).toHaveLength(1);
  });
});
