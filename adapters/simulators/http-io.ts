/** Reading a request body and sending a JSON answer, for the simulators' plain Node HTTP servers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Largest request body a simulated platform (province, city SOAP) reads; a larger one is answered
 * 413, read to its end but not kept, so the connection and the simulator go on serving.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The whole body, or undefined when it is larger than `maxBytes` (the caller answers 413). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes `reply.body` as JSON with its status; nothing when the client has gone. */
export function sendJson(
  res: ServerResponse,
  reply: { status: number; body: unknown },
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
