/**
 * A `tls.ca` bundle often keeps an old root beside its successor while servers move over. `status`
 * said of the expired one "connections using it are refused", as if the connection were broken,
 * while every server chaining to the new root connected. An expired CA in a bundle matters only to
 * a server whose chain needs it: with another CA of the bundle in force the line says so, milder;
 * with none in force it keeps the strong line. Roots from the test CA (one valid a year, one ten
 * years), looked at two years on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../support/test-ca.js';
import { caBundleLines } from './ca-bundle-fixture.js';

describe('status: an expired CA in a `tls.ca` bundle', { timeout: 60_000 }, () => {
  let oldRoot: TestCa;
  let oldRoot2: TestCa;
  let newRoot: TestCa;
  const twoYearsOn = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
  const lines = (ca: string) => caBundleLines(ca, twoYearsOn);

  beforeAll(async () => {
    oldRoot = await createTestCa('old-root', 365);
    oldRoot2 = await createTestCa('older-root', 365);
    newRoot = await createTestCa('new-root', 3650);
  });
  afterAll(async () => {
    for (const ca of [oldRoot, oldRoot2, newRoot]) await ca?.remove();
  });

  it('beside a CA in force: named expired, only connections whose chain needs it fail', async () => {
    const messages = await lines(`${oldRoot.ca}\n${newRoot.ca}`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^target province: the CA certificate \(subject O=licbridge test, CN=old-root\) in the CA bundle expired on \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \+00:00; connections whose server chains only to it fail, the bundle's other CAs still verify: remove it from the bundle, or install its renewal if a server still needs it$/,
    );
    expect(messages[0]).not.toContain('connections using it are refused');
  });

  it('every CA of the bundle expired: each keeps the strong line', async () => {
    const messages = await lines(`${oldRoot.ca}\n${oldRoot2.ca}`);
    expect(messages).toHaveLength(2);
    for (const [i, cn] of ['old-root', 'older-root'].entries()) {
      expect(messages[i]).toMatch(
        new RegExp(
          `^target province: the CA certificate \\(subject O=licbridge test, CN=${cn}\\) expired on .*; connections using it are refused: install the renewed certificate$`,
        ),
      );
    }
  });

  it('a lone expired CA keeps the strong line', async () => {
    const messages = await lines(oldRoot.ca);
    expect(messages).toEqual([
      expect.stringMatching(/CN=old-root\) expired on .*; connections using it are refused/),
    ]);
  });
});
