/**
 * A root about to expire is renewed by adding its successor (same subject, later validity) to the
 * `tls.ca` bundle before it ends. `status` still said of the old one "expires on … (in 12 day(s)):
 * renew it now", as if nothing had been done, while the renewal was already configured. With a
 * successor in the bundle that is in force by the time the old one ends, the line now says so and
 * when it takes over; a CA of another subject, or a successor leaving a gap, is no successor and the
 * line still asks for the renewal. With nothing left to renew, the hand-over is information: printed,
 * never counted for `status`'s exit code. Sibling of tls-ca-bundle-expired-member and
 * tls-ca-bundle-not-yet-valid-member.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caBundleFindings, caBundleLines } from './ca-bundle-fixture.js';
import { datedCa } from './dated-ca.js';

describe('status: a CA expiring soon with its successor in the `tls.ca` bundle', { timeout: 60_000 }, () => {
  let dir: string;
  let ending: string;
  let successor: string;
  let successorLater: string;
  let gap: string;
  let other: string;
  // `ending` ends on 2026-03-31 20:30 UTC, in 12 days.
  const now = new Date('2026-03-20T00:00:00Z');
  const lines = (ca: string) => caBundleLines(ca, now);
  // Certificates of one subject (CN=gov-root), each made in a folder of its own.
  const govRoot = async (folder: string, start: string, end: string) => {
    await mkdir(join(dir, folder));
    return datedCa(join(dir, folder), 'gov-root', start, end);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-tls-successor-'));
    ending = await govRoot('ending', '250331203000Z', '260331203000Z');
    successor = await govRoot('successor', '260301000000Z', '360301000000Z');
    successorLater = await govRoot('successor-later', '260325000000Z', '360325000000Z');
    gap = await govRoot('gap', '260405000000Z', '360405000000Z');
    other = await datedCa(dir, 'other-root', '250101000000Z', '350101000000Z');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const handedOver = (from: string, to: string) =>
    `target province: the CA certificate (subject CN=gov-root) expires on 2026-03-31 20:30 +00:00 (in 12 day(s)); its successor is already in the CA bundle (same subject, valid from ${from} to ${to}) and takes over on 2026-03-31 20:30 +00:00: nothing to renew; a server whose chain only this one verifies fails from then`;

  it('a successor in force already: the old one is said to hand over, not to need renewing', async () => {
    for (const bundle of [`${ending}\n${successor}`, `${successor}\n${ending}`]) {
      expect(await caBundleFindings(bundle, now)).toEqual({
        attention: [],
        information: [handedOver('2026-03-01 00:00 +00:00', '2036-03-01 00:00 +00:00')],
      });
    }
  });

  it('a successor starting before the old one ends: the hand-over, and the successor not valid yet', async () => {
    expect(await caBundleFindings(`${ending}\n${successorLater}`, now)).toEqual({
      attention: [],
      information: [
        handedOver('2026-03-25 00:00 +00:00', '2036-03-25 00:00 +00:00'),
        "target province: the CA certificate (subject CN=gov-root) in the CA bundle is valid only from 2026-03-25 00:00 +00:00; connections whose server chains only to it fail until then, the bundle's other CAs verify now: keep it there for the servers that move to it",
      ],
    });
  });

  it('no successor: a CA of another subject, or one starting after the old one ends, leaves "renew it now"', async () => {
    for (const bundle of [`${ending}\n${other}`, `${ending}\n${gap}`, ending]) {
      expect((await lines(bundle))[0]).toBe(
        'target province: the CA certificate (subject CN=gov-root) expires on 2026-03-31 20:30 +00:00 (in 12 day(s)): renew it now',
      );
    }
  });
});
