import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';

export const DASHBOARD_PATH = '/dashboard';

/**
 * The BullMQ dashboard (bull-board) as a node:http listener mounted under `/dashboard`. It shows
 * job ids and payloads — which hold pipeline names, run ids and ledger version ids, never license
 * data — and lets an operator retry or remove jobs, so the server puts it behind authentication.
 */
export function createDashboard(
  queues: readonly Queue[],
): (req: IncomingMessage, res: ServerResponse) => void {
  const adapter = new HonoAdapter(serveStatic);
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'licbridge queues' } },
  });
  const app = new Hono();
  app.route(DASHBOARD_PATH, adapter.registerPlugin());
  return getRequestListener(app.fetch);
}
