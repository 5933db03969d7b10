import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { sameSecret } from './auth.js';

export const DASHBOARD_PATH = '/dashboard';

/**
 * The CSRF token travels as axios expects it: a `XSRF-TOKEN` cookie the dashboard's own page can
 * read, echoed by its axios client in an `X-XSRF-TOKEN` header on every API call. Another
 * site's page can make the browser send the cookie and cached Basic credentials, but it cannot
 * read the cookie, and cannot set a custom header on a cross-origin request without a CORS
 * preflight, which this server never grants.
 */
const CSRF_COOKIE = 'XSRF-TOKEN';
const CSRF_HEADER = 'x-xsrf-token';

export type DashboardHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  credentials: 'basic' | 'bearer',
) => void;

/**
 * bull-board routes that write job data: adding a job (also the page's "duplicate") and replacing
 * a job's data. licbridge's jobs carry ledger references that workers trust as produced by
 * licbridge itself, so nothing typed into the board may become job data. bull-board's only switch
 * for them, `readOnlyMode`, also takes retry and clean away, hence a hook on these two routes.
 * The hook matches bull-board's route definitions, not the request's spelling of the path, so no
 * encoding of the URL reaches the handlers.
 */
const JOB_DATA_WRITES: ReadonlySet<string> = new Set([
  'post /api/queues/:queueName/add',
  'patch /api/queues/:queueName/:jobId/update-data',
]);

/**
 * The BullMQ dashboard (bull-board) as a node:http listener mounted under `/dashboard`. It shows
 * job ids and payloads — which hold pipeline names, run ids and ledger version ids, never license
 * data — and lets an operator retry or remove jobs, but never add a job or change a job's data.
 * The server puts it behind authentication, and a state-changing request sent with Basic
 * credentials must also carry the CSRF token.
 */
export function createDashboard(queues: readonly Queue[]): DashboardHandler {
  const adapter = new HonoAdapter(serveStatic);
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: {
      uiConfig: { boardTitle: 'licbridge queues' },
      handlerHooks: {
        before: ({ method, route }) =>
          JOB_DATA_WRITES.has(`${method} ${route}`)
            ? {
                allow: false,
                status: 403,
                message:
                  'dashboard: refused: jobs are made by licbridge only; the board cannot add a job or change its data',
              }
            : undefined,
      },
    },
  });
  // Not strict: `/dashboard/` (the page's own `<base href>`) is the same page as `/dashboard`.
  const app = new Hono({ strict: false });
  app.route(DASHBOARD_PATH, adapter.registerPlugin());
  const listener = getRequestListener(app.fetch);
  // One token per serving process: a restart asks open pages to reload.
  const token = randomBytes(32).toString('base64url');

  return (req, res, credentials) => {
    const safe = req.method === 'GET' || req.method === 'HEAD';
    if (!safe && credentials === 'basic') {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameSecret(given, token)) {
        res.statusCode = 403;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(
          `refused: a change needs the ${CSRF_HEADER} header the dashboard page sends; reload the page\n`,
        );
        return;
      }
    }
    res.setHeader('Set-Cookie', `${CSRF_COOKIE}=${token}; Path=${DASHBOARD_PATH}; SameSite=Strict`);
    void listener(req, res);
  };
}
