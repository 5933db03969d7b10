/**
 * An endless answer, for the answer-size tests of targets and signers: a server (or a proxy's or
 * portal's page in front of it) writing a JSON text's start and then `A`s until the client goes,
 * and the error a request so answered fails with.
 */
import type { ServerResponse } from 'node:http';
import { expect } from 'vitest';
import { LicbridgeError } from '../../core/errors.js';

export interface EndlessAnswer {
  /** The JSON text's start, written first (`{"code":0,"x":"`). */
  head: string;
  /** Its end, written once `atMost` bytes are sent (`"}`). */
  tail: string;
  /** What the server sends at most before it gives up (the client never closing). */
  atMost: number;
  /** How many `A`s each write holds. */
  chunkBytes: number;
  /** The Content-Length stated, when one is. */
  length?: number;
}

/** Writes `head` and then `A`s until the client goes or `atMost` bytes are sent, counted in `sent`. */
export function endlessAnswer(res: ServerResponse, sent: { bytes: number }, answer: EndlessAnswer): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(answer.length === undefined ? {} : { 'content-length': String(answer.length) }),
  });
  res.write(answer.head);
  const chunk = Buffer.alloc(answer.chunkBytes, 'A');
  const more = (): void => {
    while (sent.bytes < answer.atMost && !res.destroyed) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end(answer.tail);
  };
  more();
}

/** The LicbridgeError `p` is rejected with; fails the test if it resolves or rejects otherwise. */
export async function licbridgeFailure(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LicbridgeError);
  return e as LicbridgeError;
}
