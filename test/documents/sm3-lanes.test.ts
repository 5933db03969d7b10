// SM3 of many messages in four lanes: the digests OpenSSL gives (node's crypto) and GB/T 32905's
// examples, whatever the messages' lengths, their number and their order, through both paths.
import { hash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm3LanesAvailable, sm3Many } from '../../adapters/documents/sm3-lanes.js';

const hex = (digests: Buffer[]) => digests.map((d) => d.toString('hex'));
const openssl = (messages: Uint8Array[]) => messages.map((m) => hash('sm3', m, 'hex'));

// GB/T 32905-2016 Appendix A.
const ABC = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const ABCD_16 = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';

describe('sm3Many', () => {
  it('runs in lanes on this platform', () => {
    expect(sm3LanesAvailable()).toBe(true);
  });

  for (const via of ['lanes', 'openssl'] as const) {
    it(`gives the standard's examples (${via})`, () => {
      const abc = Buffer.from('abc');
      const abcd = Buffer.from('abcd'.repeat(16));
      expect(hex(sm3Many([abc, abcd, abc, abcd, abcd], via))).toEqual([ABC, ABCD_16, ABC, ABCD_16, ABCD_16]);
    });
  }

  it('gives OpenSSL’s digest for every length across the padding boundaries', () => {
    const messages = Array.from({ length: 300 }, (_, n) => randomBytes(n));
    expect(hex(sm3Many(messages))).toEqual(openssl(messages));
  });

  it('gives each message its own digest, in order, however lengths and counts mix', () => {
    for (let count = 1; count <= 11; count++) {
      // Pages and files of a few to tens of kilobytes, beside parts of a few hundred bytes.
      const messages = Array.from({ length: count }, (_, k) =>
        randomBytes(k % 3 === 0 ? 100 + k * 37 : 9_000 + ((k * 7919) % 20_000)),
      );
      expect(hex(sm3Many(messages))).toEqual(openssl(messages));
    }
  });

  it('hashes a list longer than its memory in turns, and a message longer than it alone', () => {
    const big = randomBytes(4 * 1024 * 1024 + 1);
    const messages = [...Array.from({ length: 300 }, (_, k) => randomBytes(15_000 + k)), big, randomBytes(5)];
    expect(hex(sm3Many(messages))).toEqual(openssl(messages));
  });

  it('reads a view of a larger buffer as the view only', () => {
    const whole = randomBytes(4096);
    const views = [
      whole.subarray(1, 1000),
      whole.subarray(999, 3000),
      new Uint8Array(whole.buffer, whole.byteOffset + 7, 64),
    ];
    expect(hex(sm3Many(views))).toEqual(openssl(views));
  });

  it('gives none for none', () => {
    expect(sm3Many([])).toEqual([]);
  });
});
