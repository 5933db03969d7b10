import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../core/logger.js';
import { sameSecret } from './auth.js';
import { dashboardRefusal } from './dashboard-refusals.js';
import { withTimeout } from './timeout.js';

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

/**
 * The board's own requests carry a few bytes of JSON (a limit, a delay) or none. Its routes read
 * any body whole into memory before they look at it, refused routes too: a 400 MB body took the
 * process past 1 GB.
 */
const MAX_BODY_BYTES = 64 * 1024;

export type DashboardHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  credentials: 'basic' | 'bearer',
) => void;

/**
 * The BullMQ dashboard (bull-board) as a node:http listener mounted under `/dashboard`. It shows
 * job ids and payloads — which hold pipeline names, run ids and ledger version ids, never license
 * data — and lets an operator pause, retry and promote jobs and remove finished ones, but never
 * add a job, change a job's data or drop work that has not finished (dashboard-refusals.ts).
 * The server puts it behind authentication, and a state-changing request sent with Basic
 * credentials must also carry the CSRF token.
 *
 * Its API answers within `timeoutMs` (`serve.checkTimeoutMs`): queue commands wait for Redis to come
 * back, so during an outage the page spun for as long as it lasted. A change (pause, retry, promote,
 * remove) is refused while a queue connection is down rather than queued in the client, where it
 * would be made whenever Redis returned, to a request long given up.
 */
export function createDashboard(queues: readonly Queue[], timeoutMs: number, log: Logger): DashboardHandler {
  const adapter = new HonoAdapter(serveStatic);
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: {
      uiConfig: { boardTitle: 'licbridge queues' },
      // Writing job data and dropping unfinished work are refused (dashboard-refusals.ts).
      handlerHooks: { before: dashboardRefusal(log) },
    },
  });
  // bull-board answers a route's error with its message, which quotes what failed: a job's data
  // stored other than as JSON is quoted by JSON.parse. Passed on to the one place below instead.
  adapter.setErrorHandler((e) => {
    throw e;
  });
  // Not strict: `/dashboard/` (the page's own `<base href>`) is the same page as `/dashboard`.
  const app = new Hono({ strict: false });
  // Hono prints an Error to the console as it came (stack and message, outside the logger's
  // masking) and lets anything else thrown escape; both are logged here and answered plainly.
  app.onError((e, c) => failed(c, e, log));
  app.use('*', async (c, next) => {
    try {
      await next();
    } catch (e) {
      c.res = failed(c, e, log);
    }
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.text(
          `dashboard: refused: a request body may hold at most ${MAX_BODY_BYTES} bytes (too large)\n`,
          413,
        ),
    }),
  );
  app.use(`${DASHBOARD_PATH}/api/*`, async (c, next) => {
    const change = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if (change && !(await redisUp(queues, timeoutMs))) {
      c.header('Retry-After', '10');
      return c.text(
        'dashboard: refused: Redis is not reachable, so no change is made; try again once it is\n',
        503,
      );
    }
    const late = Symbol('late');
    const answered = await withTimeout(next(), timeoutMs, 'dashboard').catch((e: unknown) => {
      if (e instanceof Error && e.message.startsWith('dashboard: no answer')) return late;
      throw e;
    });
    if (answered !== late) return;
    c.header('Retry-After', '10');
    return c.text(
      change
        ? `dashboard: Redis did not answer within ${timeoutMs} ms; the change may still be made once it does: reload the page to see\n`
        : `dashboard: Redis did not answer within ${timeoutMs} ms (is it down?); reload the page once it is back\n`,
      503,
    );
  });
  // bull-board's routes live in an app of its own, made by its own copy of Hono (CommonJS), whose
  // default handler is not ours: Hono would not pass their errors on, so the board gets ours too.
  const board = adapter.registerPlugin();
  board.onError((e, c) => failed(c, e, log));
  app.route(DASHBOARD_PATH, board);
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

/**
 * A route that failed: logged with the error masked as every logged error is (core/logger.ts), a
 * value thrown that is not an Error by its kind only, and answered with a 500 naming nothing of it.
 */
function failed(c: Context, e: unknown, log: Logger): Response {
  log.error(
    { err: e instanceof Error ? e : { type: typeof e }, path: c.req.path, method: c.req.method },
    'dashboard: request failed',
  );
  return c.text('dashboard: internal error; the serve log says what failed\n', 500);
}

/** Whether every queue's connection to Redis is up now (not reconnecting, not yet connected). */
async function redisUp(queues: readonly Queue[], timeoutMs: number): Promise<boolean> {
  try {
    const clients = await withTimeout(
      Promise.all(queues.map((q) => q.backend.client)),
      timeoutMs,
      'dashboard: connect',
    );
    return clients.every((c) => c.status === 'ready');
  } catch {
    return false;
  }
}
