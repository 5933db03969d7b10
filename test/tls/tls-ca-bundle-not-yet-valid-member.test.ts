/**
 * A renewed root is best added to a `tls.ca` bundle before it starts, beside the root in force, so
 * that servers can move to it without a gap. `status` said of it "connections using it are refused
 * until then: configure the certificate in force now, and this one from then on", as if the
 * connection were broken and the bundle wrong, while every server chaining to the root in force
 * connected (OpenSSL trusts the bundle's other CAs, and of two with one subject takes the one in
 * force). With another CA of the bundle in force the line now says so, milder, and as information:
 * the bundle is set up as it should be, and `status` exits 0 for it
 * (test/ops/status-ca-bundle-information.int.test.ts); with none in force it keeps the strong line,
 * which needs a person.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caBundleFindings, caBundleLines } from './ca-bundle-fixture.js';
import { datedCa } from './dated-ca.js';

describe('status: a CA not valid yet in a `tls.ca` bundle', { timeout: 60_000 }, () => {
  let dir: string;
  let current: string;
  let next: string;
  let later: string;
  // The root in force ends in 2030, well past the 30 days of "renew it now".
  const now = new Date('2028-06-01T00:00:00Z');
  const lines = (ca: string) => caBundleLines(ca, now);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-tls-next-'));
    current = await datedCa(dir, 'current-root', '250101000000Z', '300101000000Z');
    next = await datedCa(dir, 'next-root', '290101000000Z', '390101000000Z');
    later = await datedCa(dir, 'later-root', '290601000000Z', '390601000000Z');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('beside a CA in force: named not valid yet, for information, only connections whose chain needs it fail', async () => {
    for (const bundle of [`${current}\n${next}`, `${next}\n${current}`]) {
      expect(await caBundleFindings(bundle, now)).toEqual({
        attention: [],
        information: [
          "target province: the CA certificate (subject CN=next-root) in the CA bundle is valid only from 2029-01-01 00:00 +00:00; connections whose server chains only to it fail until then, the bundle's other CAs verify now: keep it there for the servers that move to it",
        ],
      });
    }
  });

  it('no CA of the bundle in force: each keeps the strong line', async () => {
    const messages = await lines(`${next}\n${later}`);
    expect(messages).toHaveLength(2);
    for (const [i, cn] of ['next-root', 'later-root'].entries()) {
      expect(messages[i]).toMatch(
        new RegExp(
          `^target province: the CA certificate \\(subject CN=${cn}\\) is valid only from .*; connections using it are refused until then: configure the certificate in force now, and this one from then on$`,
        ),
      );
    }
  });

  it('a lone CA not valid yet keeps the strong line', async () => {
    expect(await lines(next)).toEqual([
      expect.stringMatching(
        /CN=next-root\) is valid only from .*; connections using it are refused until then/,
      ),
    ]);
  });
});
