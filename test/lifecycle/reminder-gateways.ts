/**
 * Stand-in SMS gateways for reminder tests whose gateway must do what the simulator does not.
 */
import { createServer } from 'node:http';
import { listenLocal } from '../support/listen-local.js';
import type { ReminderWorkspace } from './reminders-fixture.js';

/**
 * A gateway that takes every message, and runs `onFirst` before answering the first one: a run
 * changing a license while the tick is sending.
 */
export async function gatewayChangingOnFirst(onFirst: () => Promise<void>): Promise<{
  url: string;
  /** The reference of every message taken, in order. */
  references: string[];
  close(): Promise<void>;
}> {
  const references: string[] = [];
  const local = await listenLocal(
    createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', async () => {
        references.push((JSON.parse(body) as { reference: string }).reference);
        if (references.length === 1) await onFirst();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 0, messageId: `m-${references.length}` }));
      });
    }),
  );
  return { url: local.origin, references, close: local.close };
}

/**
 * A gateway that holds the first message until `release()` (`held` resolves once it has come) and
 * takes every message. It keeps no idempotency keys: a message sent again reaches it again.
 */
export async function holdingGateway(): Promise<
  Awaited<ReturnType<typeof gatewayChangingOnFirst>> & { held: Promise<void>; release(): void }
> {
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
    return { s: await ws.tick(ws.withGateway(gw.url), today), references: gw.references };
  } finally {
    await gw.close();
  }
}
