/**
 * A gateway refusing the request rather than the message — a 404 or 405 (a wrong path, a route
 * missing during a deploy), a 409 (the same key in flight from another tick), a 413 (a body limit)
 * — leaves the reminder pending for the next tick. Only the 409 may pass within the tick (the
 * gateway replays once the other send is done): the send is retryable, tried `attempts` times;
 * the others are not, tried once, as docs/lifecycle.md says. Its notify section said 405 and 413
 * were tried `attempts` times.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a gateway refusing the request with its HTTP status', () => {
  it.each([
    [404, false],
    [405, false],
    [409, true],
    [413, false],
  ])('HTTP %i fails the send (retryable: %s), never refusing the message', async (status, retryable) => {
    const target = await gatewayAnswering('{"code":1,"reason":"REFUSED"}', closers, status);
    const e = await target.send(reminderMessage).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && [e.code, e.retryable]).toEqual([ErrorCodes.TARGET_REJECTED, retryable]);
  });

  it('docs/lifecycle.md names the statuses tried once', async () => {
    const docs = (await readFile(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8')).replace(
      /\s+/g,
      ' ',
    );
    const once = /each is tried `attempts` times \(([^:;)]*)/.exec(docs)?.[1];
    expect(once).toBeDefined();
    for (const status of ['404', '405', '413']) expect(once).toContain(status);
    expect(once).not.toContain('409');
  });
});
