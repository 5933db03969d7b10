// licbridge's QR encoder against qrcode-generator, module by module: for each text, the symbol
// qrcode-generator makes is read for its mask (the format bits), and licbridge's symbol with that
// mask must be the same; licbridge's own mask choice must score no worse under ISO 18004's rules
// than any other of its masks (it picks the minimum).
import { randomBytes } from 'node:crypto';
import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { qrCode, qrSymbol } from '../../adapters/documents/face/qr-code.js';

// Byte mode carries UTF-8 (what phone readers expect); qrcode-generator's default is one byte per
// UTF-16 unit, so the reference is given UTF-8 too.
qrcode.stringToBytes = (s: string) => [...new TextEncoder().encode(s)];

function reference(text: string): boolean[][] {
  const q = qrcode(0, 'M');
  q.addData(text, 'Byte');
  q.make();
  const n = q.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => q.isDark(r, c)));
}

/** The mask a symbol's format information names (ISO 18004 §7.9: 15 bits beside the top-left finder). */
function maskOf(m: boolean[][]): number {
  let bits = 0;
  const at = (r: number, c: number) => ((m[r] as boolean[])[c] ? 1 : 0);
  // Bits 14…9 along row 8 (columns 0–5, 7), bit 8 at (8, 8), 7 at (7, 8), … read as the encoder writes them.
  const order: [number, number][] = [
    [0, 8],
    [1, 8],
    [2, 8],
    [3, 8],
    [4, 8],
    [5, 8],
    [7, 8],
    [8, 8],
    [8, 7],
    [8, 5],
    [8, 4],
    [8, 3],
    [8, 2],
    [8, 1],
    [8, 0],
  ];
  order.forEach(([r, c], i) => {
    bits |= at(r, c) << i;
  });
  return ((bits ^ 0x5412) >> 10) & 0b111;
}

describe('QR code encoder', () => {
  const texts = [
    '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B000000001.001.F',
    'https://zwfw.shandong.gov.cn/verify?id=1.2.156.3005.2.11370211MB0000001D001.11370211MB0000001D.S00000001.001.F',
    'A',
    '电子证照',
    ...Array.from({ length: 120 }, (_, i) =>
      randomBytes(1 + ((i * 7) % 200))
        .toString('base64')
        .slice(0, 1 + ((i * 7) % 200)),
    ),
  ];

  it('makes the same symbol as qrcode-generator for the same mask, versions 1 to 10', () => {
    const versions = new Set<number>();
    for (const text of texts) {
      const ref = reference(text);
      versions.add((ref.length - 17) / 4);
      const mine = qrSymbol(new TextEncoder().encode(text), maskOf(ref));
      expect(mine, text).toEqual(ref);
    }
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('chooses one of the eight valid symbols', () => {
    for (const text of texts.slice(0, 20)) {
      const chosen = qrCode(text);
      const bytes = new TextEncoder().encode(text);
      expect(chosen).toEqual(qrSymbol(bytes, maskOf(chosen)));
    }
  });
});
