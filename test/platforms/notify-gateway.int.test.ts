/**
 * The `notify` target against the message gateway simulator over real HTTP: HMAC as the province
 * platform checks it, one message per idempotency key (a re-send is answered from the gateway's
 * memory and sends nothing), refusals the caller keeps apart from failures worth retrying, and
 * errors that never carry the recipient.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import {
  NotifyTarget,
  type ReminderMessage,
  reminderIdempotencyKey,
  storableMessageId,
} from '../../adapters/platforms/notify/notify-target.js';
import {
  type GatewaySimulator,
  startGatewaySimulator,
} from '../../adapters/simulators/gateway/gateway-simulator.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';

const AUTH = { appKey: 'gw-app', secret: 'gw-secret-for-tests' };
const PHONE = '13912340001';

function config(url: string, extra: Partial<NotifyTargetConfig> = {}): NotifyTargetConfig {
  return {
    kind: 'notify',
    url,
    channel: 'sms',
    auth: { scheme: 'hmac', ...AUTH },
    template: 'license-expiry',
    timeoutMs: 2000,
    concurrency: 1,
    attempts: 1,
    backoffMs: 10,
    ...extra,
  };
}

function message(key: string, recipient = PHONE): ReminderMessage {
  return {
    key,
    recipient,
    params: {
      licenseType: '食品经营许可证',
      number: 'JY1',
      issuer: '某局',
      validTo: '2026-03-31',
      daysLeft: 30,
    },
  };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected the send to fail');
}

/**
 * A gateway in front of the simulator at `simUrl` that answers its first request itself (422, so
 * the caller keeps the connection for its next one) and holds every later one, read whole, without
 * an answer until `release()` passes them on to the simulator (resolving with its statuses).
 * `arrived` resolves once a request is held.
 */
async function startHeldGateway(simUrl: string) {
  const held: { method: string; path: string; headers: Record<string, string>; body: Buffer }[] = [];
  let connections = 0;
  let requests = 0;
  let read: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    read = resolve;
  });
  const server = createServer((req, res) => {
    const first = ++requests === 1;
    const chunks: Buffer[] = [];
    // The caller hangs up on its timeout; what was read is held all the same.
    req.on('error', () => {});
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (first) {
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 422, reason: 'opening-answer' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !['host', 'connection', 'content-length', 'keep-alive'].includes(k))
          headers[k] = v;
      held.push({ method: req.method ?? 'POST', path: req.url ?? '/', headers, body: Buffer.concat(chunks) });
      read();
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const sim = new URL(simUrl);
  return {
    url: `http://127.0.0.1:${port}${sim.pathname.replace(/\/$/, '')}`,
    arrived,
    connections: () => connections,
    async release(): Promise<number[]> {
      const statuses: number[] = [];
      for (const h of held.splice(0)) {
        const res = await fetch(`${sim.origin}${h.path}`, {
          method: h.method,
          headers: h.headers,
          body: h.body,
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      return statuses;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('notify target ⇄ gateway simulator', () => {
  let sim: GatewaySimulator;
  let target: NotifyTarget;

  beforeAll(async () => {
    sim = await startGatewaySimulator({ auth: AUTH, unreachable: ['13900000000'] });
    target = new NotifyTarget('sms', config(sim.url));
  });
  afterAll(async () => {
    await target?.close();
    await sim?.close();
  });

  it('sends a reminder once; the same key again is answered from memory and sends nothing', async () => {
    const first = await target.send(message('L1:1:30'));
    expect(first).toMatchObject({ state: 'sent', replayed: false });
    const again = await target.send(message('L1:1:30'));
    expect(again).toEqual({ ...first, replayed: true });
    const sent = sim.messages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      channel: 'sms',
      recipient: PHONE,
      template: 'license-expiry',
      reference: 'L1:1:30',
      idempotencyKey: reminderIdempotencyKey('sms', 'L1:1:30'),
      params: { validTo: '2026-03-31', daysLeft: 30, number: 'JY1' },
    });
    expect(sim.stats()).toMatchObject({ sent: 1, replays: 1, authFailures: 0 });
  });

  it('keys differ per reminder and per target', () => {
    expect(reminderIdempotencyKey('sms', 'L1:1:30')).not.toBe(reminderIdempotencyKey('sms', 'L1:1:7'));
    expect(reminderIdempotencyKey('sms', 'L1:1:30')).not.toBe(reminderIdempotencyKey('push', 'L1:1:30'));
    expect(reminderIdempotencyKey('sms', 'L1:1:30')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a recipient the gateway cannot reach as refused, with a short reason', async () => {
    const out = await target.send(message('L2:1:7', '13900000000'));
    expect(out).toEqual({ state: 'refused', reason: 'gateway-refused:unreachable-recipient' });
  });

  it('refuses wrong credentials as an auth error naming neither secret nor recipient', async () => {
    const wrong = new NotifyTarget(
      'sms',
      config(sim.url, { auth: { scheme: 'hmac', appKey: 'gw-app', secret: 'nope' } }),
    );
    try {
      const e = await failure(wrong.send(message('L3:1:7')));
      expect(e.code).toBe(ErrorCodes.TARGET_AUTH);
      expect(e.message).toMatch(
        /^target sms: reminder to http:\/\/127\.0\.0\.1:\d+ failed: credentials refused/,
      );
      expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain(PHONE);
      expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain('nope');
    } finally {
      await wrong.close();
    }
    expect(sim.messages().map((m) => m.reference)).not.toContain('L3:1:7');
  });

  it('sends push messages to an app user id', async () => {
    const push = new NotifyTarget('app', config(sim.url, { channel: 'push', template: 'expiry-push' }));
    try {
      expect(await push.send(message('L4:1:7', 'wx-user-42'))).toMatchObject({ state: 'sent' });
    } finally {
      await push.close();
    }
    expect(sim.messages().at(-1)).toMatchObject({
      channel: 'push',
      recipient: 'wx-user-42',
      template: 'expiry-push',
    });
  });
});

describe('notify target under gateway faults', () => {
  it('a 503 or an unreachable gateway is a retryable error; nothing is sent', async () => {
    const sim = await startGatewaySimulator({ faults: { errorRate: 1, seed: 1 } });
    const target = new NotifyTarget('sms', config(sim.url, { auth: { scheme: 'none' } }));
    try {
      const e = await failure(target.send(message('L5:1:7')));
      expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
      expect(e.retryable).toBe(true);
      expect(sim.messages()).toEqual([]);
    } finally {
      await target.close();
      await sim.close();
    }
    const gone = new NotifyTarget('sms', config(sim.url, { auth: { scheme: 'none' } }));
    try {
      const e = await failure(gone.send(message('L5:1:7')));
      expect(e.retryable).toBe(true);
      expect(e.message).not.toContain(PHONE);
    } finally {
      await gone.close();
    }
  });

  it('a message the gateway processed after the caller gave up is not sent again on the retry', async () => {
    // The gateway holds the request and answers nothing until the caller has given up: the caller
    // cannot know it was sent. A latency of 300 ms against a timeout of 100 ms raced: the caller's
    // timer runs from the request's start (axios), so under load it fired before the connection was
    // even open, the gateway never saw the request, and there was nothing to send. The request now
    // goes over a connection the caller already holds (its first request's), written before any
    // timer can fire; its timeout has nothing to race, as the gateway does not answer at all.
    const sim = await startGatewaySimulator();
    const gateway = await startHeldGateway(sim.url);
    const impatient = new NotifyTarget(
      'sms',
      config(gateway.url, { auth: { scheme: 'none' }, timeoutMs: 1000 }),
    );
    try {
      expect(await impatient.send(message('L6:0:7'))).toMatchObject({ state: 'refused' });
      const e = await failure(impatient.send(message('L6:1:7')));
      expect(e.retryable).toBe(true);
      expect(e.message).toContain('no answer in time');
      await gateway.arrived;
      expect(gateway.connections()).toBe(1);
      expect(sim.messages()).toEqual([]);
      // The gateway sends it once released, the caller long gone.
      expect(await gateway.release()).toEqual([200]);
      expect(sim.messages()).toHaveLength(1);
      const patient = new NotifyTarget('sms', config(sim.url, { auth: { scheme: 'none' }, timeoutMs: 2000 }));
      try {
        expect(await patient.send(message('L6:1:7'))).toMatchObject({ state: 'sent', replayed: true });
      } finally {
        await patient.close();
      }
      expect(sim.messages()).toHaveLength(1);
    } finally {
      await impatient.close();
      await gateway.close();
      await sim.close();
    }
  });

  it('only a 400 or 422 refuses the message; a 404, 405, 409 or 413 is an error and the reminder may be sent again', async () => {
    let status = 404;
    const server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: status, reason: 'answer' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const target = new NotifyTarget('sms', config(`http://127.0.0.1:${port}`, { auth: { scheme: 'none' } }));
    try {
      for (const s of [404, 405, 409, 413]) {
        status = s;
        const e = await failure(target.send(message('L8:1:7')));
        expect(e.message).toContain(`HTTP ${s}`);
        expect(e.retryable).toBe(s === 409);
      }
      for (const s of [400, 422]) {
        status = s;
        expect(await target.send(message('L8:1:7'))).toEqual({
          state: 'refused',
          reason: 'gateway-refused:answer',
        });
      }
    } finally {
      await target.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('a busy code in a 200 (503, 429, 408) is a retryable error, not a refusal: the reminder stays to be sent', async () => {
    let code = 503;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code, reason: 'SYSTEM_BUSY' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const target = new NotifyTarget('sms', config(`http://127.0.0.1:${port}`, { auth: { scheme: 'none' } }));
    try {
      for (const c of [503, 500, 429, 408]) {
        code = c;
        const e = await failure(target.send(message('L9:1:7')));
        expect({ c, retryable: e.retryable, code: e.code }).toEqual({
          c,
          retryable: true,
          code: ErrorCodes.TARGET_UNREACHABLE,
        });
        expect(e.message).toContain(`platform code ${c} (SYSTEM_BUSY)`);
        expect(e.message).not.toContain(PHONE);
      }
      // Any other code still refuses the message for good.
      code = 1001;
      expect(await target.send(message('L9:1:7'))).toEqual({
        state: 'refused',
        reason: 'gateway-refused:SYSTEM_BUSY',
      });
    } finally {
      await target.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('the simulator refuses a message without the fields a gateway needs', async () => {
    const sim = await startGatewaySimulator();
    try {
      const post = (body: unknown, key = 'k') =>
        fetch(`${sim.url}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
        });
      const ok = {
        channel: 'sms',
        recipient: PHONE,
        template: 't',
        reference: 'r',
        params: message('x').params,
      };
      expect((await post({ ...ok, recipient: 'not a number' }, 'a')).status).toBe(400);
      expect((await post({ ...ok, params: { ...ok.params, daysLeft: -1 } }, 'b')).status).toBe(400);
      const noKey = await fetch(`${sim.url}/messages`, { method: 'POST', body: JSON.stringify(ok) });
      expect(noKey.status).toBe(400);
      expect((await post(ok, 'c')).status).toBe(200);
      const seen = (await (await fetch(`${sim.url}/_sim/messages`)).json()) as { messages: unknown[] };
      expect(seen.messages).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });
});

describe('notify target facing a gateway that echoes the recipient', () => {
  it('keeps a message id only as a digest when it may hold a number, in whatever form', () => {
    const digest = /^sha256:[0-9a-f]{32}$/;
    // The gateway's id in the national form of the number sent with its country code.
    expect(storableMessageId('sms-13912340002-0001', '+8613912340002')).toMatch(digest);
    expect(storableMessageId('sms-139-1234-0002', '+8613912340002')).toMatch(digest);
    // Any run of seven digits, whoever's number it is.
    expect(storableMessageId('q.0531888123', '+8613912340002')).toMatch(digest);
    expect(storableMessageId('wx-user-42:m1', 'wx-user-42')).toMatch(digest);
    // The same id keeps the same digest: a row is found again from the gateway's own id.
    expect(storableMessageId('sms-13912340002-0001', 'x')).toBe(
      storableMessageId('sms-13912340002-0001', 'y'),
    );
    // Ids that hold no number stay as they are.
    expect(storableMessageId('msg-331f1b3c-705f-4fc3-964a-afba9e4f002f', '+8613912340002')).toBe(
      'msg-331f1b3c-705f-4fc3-964a-afba9e4f002f',
    );
    expect(storableMessageId('sms-2026-0042', '+8613912340002')).toBe('sms-2026-0042');
  });

  it('keeps a message id that carries the phone number only as a digest', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, messageId: `sms-${PHONE}-1` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const target = new NotifyTarget('sms', config(`http://127.0.0.1:${port}`, { auth: { scheme: 'none' } }));
    try {
      const out = await target.send(message('L7:1:7'));
      expect(out.state).toBe('sent');
      expect(out.state === 'sent' && out.messageId).toMatch(/^sha256:[0-9a-f]{32}$/);
    } finally {
      await target.close();
      await new Promise((r) => server.close(r));
    }
  });
});
