// The encoder picks, of the eight masks, the one with the lowest ISO/IEC 18004 §7.8.3 penalty
// (the first of equals). The penalty is worked out here again, plainly, module by module, so a
// faster scoring in the encoder cannot quietly choose another mask (another file).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { qrCode, qrSymbol } from '../../adapters/documents/face/qr-code.js';

// Rule 3's core pattern, dark-light-dark×3-light-dark.
const CORE = [true, false, true, true, true, false, true];

// Plain loops over plain arrays: this runs for 8 masks of 122 texts, and a closure or a fresh
// array per module made it most of this file's time.
function penalty(m: boolean[][]): number {
  const n = m.length;
  const lines: boolean[][] = [];
  for (let i = 0; i < n; i++) {
    const row: boolean[] = new Array(n);
    const column: boolean[] = new Array(n);
    for (let k = 0; k < n; k++) {
      row[k] = (m[i] as boolean[])[k] as boolean;
      column[k] = (m[k] as boolean[])[i] as boolean;
    }
    lines.push(row, column);
  }
  let score = 0;
  for (const line of lines) {
    // Rule 1: five or more of one colour in a row: 3, and 1 per module beyond five.
    let run = 1;
    for (let k = 1; k <= n; k++) {
      if (k < n && line[k] === line[k - 1]) run++;
      else {
        if (run >= 5) score += run - 2;
        run = 1;
      }
    }
    // Rule 3: dark-light-dark×3-light-dark with four light modules inside the symbol before or after.
    const light = (from: number): boolean =>
      from >= 0 && from + 4 <= n && !line[from] && !line[from + 1] && !line[from + 2] && !line[from + 3];
    for (let k = 0; k + 7 <= n; k++) {
      let core = true;
      for (let j = 0; j < 7 && core; j++) core = line[k + j] === CORE[j];
      if (core && (light(k - 4) || light(k + 7))) score += 40;
    }
  }
  // Rule 2: each 2×2 block of one colour: 3.
  let darkCount = 0;
  for (let r = 0; r < n; r++) {
    const row = m[r] as boolean[];
    const below = m[r + 1];
    for (let c = 0; c < n; c++) {
      const d = row[c] as boolean;
      if (d) darkCount++;
      if (below !== undefined && c + 1 < n && row[c + 1] === d && below[c] === d && below[c + 1] === d)
        score += 3;
    }
  }
  // Rule 4: 10 per full 5 % the dark share is away from half.
  return score + Math.floor(Math.abs((darkCount * 100) / (n * n) - 50) / 5) * 10;
}

describe('QR mask choice', () => {
  const texts = [
    '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B000000001.001.F',
    'https://zwfw.shandong.gov.cn/verify?id=1.2.156.3005.2.11370211MB0000001D001.11370211MB0000001D.S00000001.001.F',
    ...Array.from(
      { length: 60 },
      (_, i) =>
        `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B${String(i * 7919).padStart(9, '0')}.001.F`,
    ),
    ...Array.from({ length: 60 }, (_, i) =>
      randomBytes(1 + ((i * 13) % 150))
        .toString('base64')
        .slice(0, 1 + ((i * 13) % 200)),
    ),
  ];

  it('is the mask with the lowest penalty, the first of equals', () => {
    for (const text of texts) {
      const bytes = new TextEncoder().encode(text);
      const scores = Array.from({ length: 8 }, (_, mask) => penalty(qrSymbol(bytes, mask)));
      const best = scores.indexOf(Math.min(...scores));
      expect(qrCode(text), text).toEqual(qrSymbol(bytes, best));
    }
  });
});
