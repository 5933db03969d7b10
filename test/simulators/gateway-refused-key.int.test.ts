/**
 * The message gateway simulator kept every answer under its `Idempotency-Key`, its 400 refusals
 * of a body it could not take too: a reminder refused for its recipient (a contact a run has
 * corrected since) or its parameters, sent again under its key with a body that now passes,
 * was answered the first refusal and never sent. A gateway keeps the answer of a request it
 * executed, the province platform's own memory among them (province/idempotency-cache.ts): a
 * request refused before it was executed leaves nothing under its key, and may be sent again under
 * it. In memory and with a state file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const body = (recipient: string) =>
  JSON.stringify({
    channel: 'sms',
    recipient,
    template: 'license-expiry',
    reference: 'lic-1:1:30',
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
    status: res.status,
    replayed: res.headers.get('idempotent-replayed') === 'true',
    body: (await res.json()) as { code: number; reason?: string; messageId?: string },
  };
}

async function gateway(withFile: boolean) {
  let stateFile: string | undefined;
  if (withFile) {
    const dir = await mkdtemp(join(tmpdir(), 'lb-gateway-refused-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    stateFile = join(dir, 'gateway.db');
  }
  const sim = await startGatewaySimulator(stateFile === undefined ? {} : { stateFile });
  closers.push(() => sim.close());
  return sim;
}

describe('the gateway simulator after refusing a body under a key', () => {
  it.each([
    ['in memory', false],
    ['with a state file', true],
  ])('takes a body that passes under the same key, and replays that answer (%s)', async (_, withFile) => {
    const sim = await gateway(withFile);
    const key = `remind-${process.pid}`;
    const refused = await send(sim.url, key, body('not a number'));
    expect(refused).toMatchObject({ status: 400, replayed: false, body: { reason: 'bad-recipient' } });

    const sent = await send(sim.url, key, body('13912340001'));
    expect(sent).toMatchObject({ status: 200, replayed: false, body: { code: 0 } });
    expect(sim.messages().map((m) => m.recipient)).toEqual(['13912340001']);

    // The key now holds the message sent: asked again, whatever the body, that answer, nothing sent.
    const again = await send(sim.url, key, body('not a number'));
    expect(again).toMatchObject({ status: 200, replayed: true, body: { messageId: sent.body.messageId } });
    expect(sim.messages()).toHaveLength(1);
    expect(sim.stats()).toMatchObject({ sent: 1, refused: 1, replays: 1 });
  });

  it('keeps the answer of a message it took and could not deliver (code 1001), as one it executed', async () => {
    const sim = await startGatewaySimulator({ unreachable: ['13912340009'] });
    closers.push(() => sim.close());
    const first = await send(sim.url, 'k-unreachable', body('13912340009'));
    expect(first.body).toMatchObject({ code: 1001, reason: 'unreachable-recipient' });
    const again = await send(sim.url, 'k-unreachable', body('13912340001'));
    expect(again).toMatchObject({ replayed: true, body: { code: 1001 } });
    expect(sim.messages()).toEqual([]);
  });
});
