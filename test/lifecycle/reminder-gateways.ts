/**
 * Stand-in SMS gateways for reminder tests whose gateway must do what the simulator does not.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Config } from '../../config/types.js';
import { listenLocal } from '../support/listen-local.js';
import type { ReminderWorkspace } from './reminders-fixture.js';

/** A stand-in gateway on a local port; `references` has the reference of every message, in order. */
export interface LocalGateway {
  url: string;
  references: string[];
  close(): Promise<void>;
}

/** A stand-in gateway's answer to a message: its HTTP status and JSON body. */
export interface GatewayReply {
  status: number;
  body: unknown;
}

/**
 * A gateway answering the n-th message (from 1) with HTTP 200 and `answer(n)`, once `before(n)`
 * has run.
 */
export async function gatewayAnswering(
  answer: (n: number) => object,
  before: (n: number) => Promise<void> = async () => undefined,
): Promise<LocalGateway> {
  const references: string[] = [];
  const local = await listenLocal(
    createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', async () => {
        references.push((JSON.parse(body) as { reference: string }).reference);
        const n = references.length;
        await before(n);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer(n)));
      });
    }),
  );
  return { url: local.origin, references, close: local.close };
}

/**
 * A gateway answering each message with `reply(body, raw, key)`: its status and JSON body, `body`
 * the message as parsed, `raw` as it came and `key` its `Idempotency-Key`; a reply may wait.
 */
export async function gatewayReplying(
  reply: (body: { recipient: string }, raw: string, key: string) => GatewayReply | Promise<GatewayReply>,
): Promise<{ url: string; close(): Promise<void> }> {
  const local = await listenLocal(
    createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', async () => {
        const r = await reply(
          JSON.parse(raw) as { recipient: string },
          raw,
          String(req.headers['idempotency-key']),
        );
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.body));
      });
    }),
  );
  return { url: local.origin, close: local.close };
}

/**
 * A gateway that takes every message, and runs `onFirst` before answering the first one: a run
 * changing a license while the tick is sending.
 */
export function gatewayChangingOnFirst(onFirst: () => Promise<void>): Promise<LocalGateway> {
  return gatewayAnswering(
    (n) => ({ code: 0, messageId: `m-${n}` }),
    async (n) => {
      if (n === 1) await onFirst();
    },
  );
}

/**
 * A gateway that holds the first message until `release()` (`held` resolves once it has come) and
 * takes every message. It keeps no idempotency keys: a message sent again reaches it again.
 */
export async function holdingGateway(): Promise<LocalGateway & { held: Promise<void>; release(): void }> {
  let arrived = (): void => undefined;
  const held = new Promise<void>((r) => {
    arrived = r;
  });
  let release = (): void => undefined;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const gw = await gatewayChangingOnFirst(async () => {
    arrived();
    await released;
  });
  return { ...gw, held, release };
}

/**
 * One tick of `ws` for `today`, its notify target sending to a {@link gatewayChangingOnFirst}
 * running `onFirst` (closed after): the tick's summary and the references the gateway took.
 */
export async function tickChangingOnFirst(
  ws: ReminderWorkspace,
  today: string,
  onFirst: () => Promise<void>,
) {
  const gw = await gatewayChangingOnFirst(onFirst);
  try {
    // The first request waits for `onFirst` (a run's commits): at the fixture's 2 s, commits slowed
    // by a loaded machine timed it out, and the tick sent nothing.
    return { s: await ws.tick(ws.withGateway(gw.url, 30_000), today), references: gw.references };
  } finally {
    await gw.close();
  }
}

/**
 * `base` with its notify target on an OAuth2 client of its own at `tokenUrl` (a client per call:
 * no token another case stored in the share is taken), its queue under `prefix`.
 */
export function withOAuth2Client(
  base: Readonly<Config>,
  tokenUrl: string,
  prefix: string,
  clientSecret: string,
): Readonly<Config> {
  const notify = base.targets['holder-sms'];
  if (notify?.kind !== 'notify') throw new Error('expected the notify target');
  return {
    ...base,
    queue: { ...base.queue, prefix },
    targets: {
      ...base.targets,
      'holder-sms': {
        ...notify,
        auth: {
          scheme: 'oauth2',
          tokenUrl,
          clientId: `client-${randomUUID().slice(0, 8)}`,
          clientSecret,
          refreshSkewSeconds: 60,
        },
      },
    },
  } as Readonly<Config>;
}
