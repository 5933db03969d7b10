// The OFD parts of 200 licenses and of faces whose verification links make codes of versions 8 to
// 10, and the QR outlines of symbols of every size the path is traced for, byte for byte as
// e02787ed wrote them: the page, the QR code and its outline are built for speed (packed words,
// tables of digits, runs skipped), and a faster way of writing them must not change a byte of any
// file (each is hashed and sealed; a reader's rendering is pinned by ofd-js-render.int.test.ts
// for these same bytes).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { qrModules } from '../../adapters/documents/face/qr-code.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import { qrPath, qrPathOf } from '../../adapters/documents/ofd/qr-path.js';
import { PLACEHOLDER, QR_MAX_BYTES } from '../../catalog/face-template.js';
import type { License } from '../../catalog/license.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '海涛明华建国志强秀英丽军平伟芳敏静磊洋艳勇杰娟霞刚桂兰玉萍鹏辉';

/** License `n`: its own identifier (of a length that changes the QR version), holder and address. */
function license(n: number): License {
  const plain = foodLicense(n);
  const serial = `B${String(n * 7919).padStart(9, '0')}${'X'.repeat(n % 40)}`;
  return {
    ...plain,
    identifier: `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.${serial}.001.F`,
    holder: { ...plain.holder, name: `青岛海韵餐饮管理有限公司第${n}分店${n % 5 === 0 ? '<&>"' : ''}` },
    surface: {
      ...plain.surface,
      legalRepresentative: `${SURNAMES[n % SURNAMES.length]}${GIVEN[n % GIVEN.length]}${n % 3 ? GIVEN[(n * 7) % GIVEN.length] : ''}`,
      premises: `山东省青岛市黄岛区长江中路${n % 900}号${'海韵广场一层'.repeat(1 + (n % 4))}`,
    },
  };
}

/** A square grid of `n` modules, dark at random (seeded) with density `p`. */
function randomGrid(n: number, seed: number, p: number): boolean[][] {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, () => Array.from({ length: n }, () => next() < p));
}

describe('OFD parts, byte for byte', () => {
  it('gives the parts e02787ed gave for 200 licenses', () => {
    const signedAt = new Date('2026-03-04T05:06:07Z');
    const digest = createHash('sha256');
    const versions = new Set<number>();
    for (let n = 1; n <= 200; n++) {
      const layout = layoutFace(foodTemplate, license(n));
      versions.add(layout.qr.symbol?.n ?? 0);
      const doc = buildOfd(layout, docInfoFor(license(n), signedAt, n % 7 === 0 ? 'UTC' : undefined));
      for (const [path, bytes] of doc.parts) digest.update(path).update(bytes);
    }
    // Symbols of several versions: QR versions 5 to 7 for identifiers of these lengths.
    expect(versions.size).toBeGreaterThan(2);
    expect(digest.digest('hex')).toBe('f85e63c15b23505c107a689ad82682786e1d8374f4e561b5ee58afc2b79b93f0');
  });

  it('traces the outlines e02787ed traced, for symbols and for grids up to 120 modules wide', () => {
    const digest = createHash('sha256');
    for (let i = 0; i < 60; i++) {
      // Versions 1 to 9: from the encoder's packed lines, and from rows of modules.
      digest.update(qrPathOf(qrModules('x'.repeat(1 + i * 3))));
      digest.update(qrPath(toGrid(i)));
    }
    for (const [n, p] of [
      [1, 1],
      [2, 0.5],
      [21, 0.5],
      [57, 0.3],
      [98, 0.5],
      [99, 0.5],
      [120, 0.6],
    ] as const)
      for (let seed = 1; seed <= 3; seed++) digest.update(qrPath(randomGrid(n, seed * 977 + n, p)));
    expect(digest.digest('hex')).toBe('69742cfbc35df6e4a4e3e17d0ab1f7cd042b4685b96e908897e503549d89fa02');
  });

  it('gives the parts and symbols e02787ed gave for codes of versions 8 to 10', () => {
    // A verification link makes the larger codes (an identifier alone fits version 6): two block
    // sizes from version 8, a 16-bit count at version 10, up to the QR_MAX_BYTES a face may hold.
    const signedAt = new Date('2026-03-04T05:06:07Z');
    const digest = createHash('sha256');
    const versions = new Set<number>();
    for (const [n, bytes] of [
      [3, 123],
      [11, 140],
      [25, 152],
      [31, 153],
      [42, 166],
      [57, 180],
      [64, 181],
      [70, 199],
      [88, QR_MAX_BYTES],
    ] as const) {
      const plain = license(n);
      const id = { ...plain, identifier: plain.identifier.slice(0, 60 + (n % 30)) };
      const head = `https://verify.example.gov.cn/food/${n}?id=`;
      const tail = `&t=${'0123456789abcdef'.repeat(9)}`;
      const url = `${head}${PLACEHOLDER}${tail.slice(0, bytes - head.length - id.identifier.length)}`;
      const layout = layoutFace({ ...foodTemplate, qr: { ...foodTemplate.qr, url } }, id);
      expect(Buffer.byteLength(layout.qr.content)).toBe(bytes);
      versions.add(((layout.qr.symbol?.n ?? 0) - 17) / 4);
      const doc = buildOfd(layout, docInfoFor(id, signedAt, n % 7 === 0 ? 'UTC' : undefined));
      for (const [path, part] of doc.parts) digest.update(path).update(part);
    }
    // Symbols of every fifth size from 123 bytes (version 8) to 213, of ASCII and three-byte characters.
    for (let bytes = 123; bytes <= QR_MAX_BYTES; bytes += 5) {
      const wide = '证'.repeat(Math.floor(bytes / 7));
      const text = wide + 'Q'.repeat(bytes - Buffer.byteLength(wide));
      const symbol = qrModules(text);
      versions.add((symbol.n - 17) / 4);
      digest.update(symbol.dark).update(qrPathOf(symbol));
    }
    expect([...versions].sort((a, b) => a - b)).toEqual([8, 9, 10]);
    expect(digest.digest('hex')).toBe('4469e8708654952d00ab306469597cb6fe94310fb1b379e7bf9664587ae4e64b');
  });
});

/** The modules of the QR code for `i * 3 + 1` letters, as rows. */
function toGrid(i: number): boolean[][] {
  const { dark, n } = qrModules('x'.repeat(1 + i * 3));
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => dark[r * n + c] === 1));
}
