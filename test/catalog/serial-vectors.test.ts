/**
 * deriveSerial against a second implementation: python3 with hashlib's SM3 and big integers,
 * written from docs/catalog.md (Serials) and the derivation's documented steps — the BigInt form,
 * where licbridge runs short keys through four base-36^3 limbs. The keys reach every limb and
 * carry: one char per length 1–11, all-Z keys (the largest value of each length), all zeros,
 * 12–18-digit decimals at both ends, and the keys that fall to the hashed form.
 *
 *   def H(s): return int.from_bytes(hashlib.new('sm3', s.encode()).digest(), 'big')
 *   seed = H('licbridge-serial\0' + ns); raw = (seed >> 96) % 36**12; a = raw - raw % 6 + 1
 *   b = (seed >> 32) % 36**12; tag = base36(H('licbridge-serial-tag\0' + ns) % 36**7, 7)
 *   keyed x: (36**len(k) - 36)//35 + int(k, 36) for 1–11 chars [0-9A-Z];
 *            (36**12 - 36)//35 + int(k) for a 12–18-digit decimal without leading zero
 *   serial = 'K' + tag + base36((a*x + b) % 36**12, 12), else 'H' + base36(H(ns+'\0'+k) % 36**19, 19)
 */
import { describe, expect, it } from 'vitest';
import { deriveSerial, serialForm } from '../../catalog/serial.js';

const VECTORS: Record<string, Record<string, string>> = {
  p: {
    '0': 'KZIHBOG5JIIIOPPYXVFL',
    Z: 'KZIHBOG530A4HYRCAV78',
    '7': 'KZIHBOG51T9N1RJ1M2L4',
    '007': 'KZIHBOG5CD6ZGGMVT0Y4',
    ZZZ: 'KZIHBOG5MXMJ72LJ9878',
    ZZZZ: 'KZIHBOG5EIGEFO6W9878',
    A00: 'KZIHBOG5RO3NE37T2FSL',
    '1000': 'KZIHBOG55LLITW0ZUTSL',
    ZZZZZZ: 'KZIHBOG5T7K8MMJW9878',
    ZZZZZZZ: 'KZIHBOG5OG5TZMJW9878',
    '1234567': 'KZIHBOG5YWA0CVHQ6E44',
    ZZZZZZZZZZ: 'KZIHBOG54046ZMJW9878',
    '00000000000': 'KZIHBOG5GWICR7DRHTSL',
    ZZZZZZZZZZZ: 'KZIHBOG5H046ZMJW9878',
    SP202300000: 'KZIHBOG5Y9SZQPGRHTSL',
    '100000000000': 'KZIHBOG5ED24954YL6VP',
    '999999999999999999': 'KZIHBOG5W7W03ZTD1TQC',
    '123456789012345678': 'KZIHBOG5WRFBL3C2Z5C3',
    ZZZZZZZZZZZZ: 'HRV16X51FCTB2NTDMDFV',
    '0123456789012': 'HYSPLMUKKBZAB9H6GC9J',
    '1234567890123456789': 'HOXXXWXE4HGSOOIR1A67',
    abc: 'HWCRUHKA7R75I8Z6B301',
    '': 'HZCZ02CXXS6LNL8VZ6WM',
    '1|2': 'HRSADU98M8LNV3XVTXZP',
    // Chars just outside [0-9A-Z] on either side of each range ('-' below '0', ':' above '9', '@' below 'A').
    '1-2': 'HQCNOILGNBB9DOK95H0I',
    '1:2': 'HPT25DKJK9SFJALWPNU6',
    'A@B': 'HNBLF3EKH8PXZ49ISE25',
    // Base-36 numbers with a leading zero, padded to full width: hashed, and a long decimal's body.
    k1: 'H0AT6BEN4JQV79Y2EAIE',
    '100000000038': 'KZIHBOG50K07D4NXNZFF',
  },
  // A namespace whose 7-char tag starts with 0.
  ns30: { '1': 'K0AP1KAR7S5D0EP6L2YW' },
  'west-coast-food': {
    '42': 'KD9IM4DBPEIB0KCCNXL9',
    ZZZZZZZZZZZ: 'KD9IM4DBJAE4JPN6EKTO',
    '987654321098': 'KD9IM4DBQC2XNHHVCYHX',
  },
};

describe('deriveSerial equals the python3 derivation', () => {
  for (const [namespace, keys] of Object.entries(VECTORS)) {
    it.each(Object.entries(keys))(`${namespace}: key %j`, (key, serial) => {
      expect(deriveSerial(namespace, key)).toBe(serial);
      // Asked again (the namespace's parameters now cached): the same answer.
      expect(deriveSerial(namespace, key)).toBe(serial);
      expect(serialForm(serial)).toBe(serial.startsWith('K') ? 'keyed' : 'hashed');
    });
  }
});

describe('serialForm', () => {
  it('needs the form letter and exactly 19 [0-9A-Z] after it', () => {
    expect(serialForm('K0000000000000000000')).toBe('keyed');
    expect(serialForm('H0000000000000000000')).toBe('hashed');
    expect(serialForm('K000000000000000000')).toBe('other');
    expect(serialForm('K00000000000000000000')).toBe('other');
    expect(serialForm('xK0000000000000000000')).toBe('other');
    expect(serialForm('H000000000000000000a')).toBe('other');
    expect(serialForm('H00000000000000000000')).toBe('other');
    expect(serialForm('xH0000000000000000000')).toBe('other');
    expect(serialForm('X0000000000000000000')).toBe('other');
  });
});
