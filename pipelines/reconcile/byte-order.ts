/**
 * License ids compared in UTF-8 byte order, the order of the ledger's walk (`collate "C"` on
 * PostgreSQL, SQLite's binary text) and of the platform's listing. JavaScript's `<` compares UTF-16
 * code units, where a character beyond U+FFFF (a surrogate pair, from U+D800) sorts before
 * U+E000–U+FFFF (full-width forms among them), though its UTF-8 bytes sort after: a listing in byte
 * order was taken for one out of order. UTF-8 byte order is code point order.
 */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Both at or past the surrogates: surrogates (a code point beyond U+FFFF) move above U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x < 0xe000 ? 0x2000 : -0x800;
      y += y < 0xe000 ? 0x2000 : -0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}
