/**
 * An HTTP pass-through a test can close: while closed, requests wait (unanswered) until it opens,
 * then go to the upstream unchanged. A test uses it to keep a run's deliveries in flight for as
 * long as something else (a Redis failover) takes, without depending on how fast the run is.
 * Its forwarding serves the test's own pass-throughs too.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Sends `req` on to `upstream` unchanged (its `body` when already read, else the request itself)
 * and `upstream`'s answer back as `res`; `res` is cut when `upstream` cannot be reached.
 */
export function forwardRequest(
  upstream: URL,
  req: IncomingMessage,
  res: ServerResponse,
  body?: Buffer,
): void {
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  if (body === undefined) req.pipe(out);
  else out.end(body);
}

export interface GateProxy {
  readonly url: string;
  /** Requests that have arrived while closed and are still waiting. */
  readonly waiting: number;
  open(): void;
  close(): Promise<void>;
}

export async function startGateProxy(
  upstream: string,
  options: {
    open?: boolean;
    /** The requests a closed gate holds; the others pass. @defaultValue every request */
    holds?: (method: string) => boolean;
  } = {},
): Promise<GateProxy> {
  const target = new URL(upstream);
  let isOpen = options.open ?? true;
  let held: (() => void)[] = [];
  const server = createServer((req, res) => {
    const forward = () => forwardRequest(target, req, res);
    if (isOpen || options.holds?.(req.method ?? '') === false) forward();
    else held.push(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get waiting() {
      return held.length;
    },
    open() {
      isOpen = true;
      const release = held;
      held = [];
      for (const go of release) go();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
