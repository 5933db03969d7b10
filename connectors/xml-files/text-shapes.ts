/**
 * What bytes or text look like, for the doubts of decode.ts: whether bytes read as GBK Chinese
 * text, and whether decoded text is mostly Chinese, East Asian or Latin.
 */

/** Whether most of the text's non-ASCII characters are Latin-1's and Latin Extended-A's letters and signs. */
export function mostlyLatin(text: string): boolean {
  let latin = 0;
  let other = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c <= 0x7f) continue;
    if (c >= 0xa0 && c <= 0x17f) latin++;
    else other++;
  }
  return latin > 0 && latin >= other;
}

/**
 * Whether the bytes above 0x7F read in GBK as the characters Chinese text is written with: nearly
 * all (`COMMON_GB_SHARE`) in two-byte characters of GB 2312's symbols and first-level hanzi, lead
 * byte 0xA1–0xD7 and trail byte 0xA1–0xFE (the 3,755 first-level hanzi cover ~99.7% of modern
 * text). Latin-1 text does not: its lowercase accented letters are 0xE0–0xFF, which as a lead byte
 * is a second-level or extension character (`ção` reads `玢o`), and an accented letter before an
 * ASCII one (`ão`, `é`) pairs with it as an extension character (`鉶`). Accented letters side by
 * side (`ção`, `© ` with a no-break space) made a Latin-1 file read as GBK when adjacency alone
 * was asked. Latin-1's accented capitals are 0xC0–0xD6 and 0xD8–0xDE, though, and two side by
 * side are a first-level hanzi (`ÇÃ` reads `敲`, `ÇÕ` `钦`): such a pair between two ASCII capitals
 * is inside a word in capitals (`INFORMAÇÃO`, `AÇÕES`) and counts as no common character, so a
 * file of capitals reads as its one-byte declaration says. Both bytes of the pair must be such
 * capitals: a hanzi does stand alone between two letters in Chinese text, in a building or room
 * code (`1号楼A座B单元`, `A栋B户`), and a GBK file whose Chinese is mostly such codes read as Latin-1
 * without a word when any pair between letters counted as none. Only some 700 of the 3,755
 * first-level hanzi are two such bytes (`室` `ÊÒ`, `期` `ÆÚ`; not `座` `区` `栋` `号` `楼`).
 * At a word's end only `ÉÉ` counts as none (French `AGRÉÉ`, `CRÉÉ` before a space or `<`): it is
 * `缮`, which Chinese writes after a hanzi (`修缮`), never straight after a Latin capital; any pair
 * ending a word would take in `VIP室`, `CT室`, `AB型` and read such files as Latin-1.
 */
export function commonGbPairs(body: Uint8Array): boolean {
  let high = 0;
  let common = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i] as number;
    if (b <= 0x7f) continue;
    const next = body[i + 1] ?? 0;
    if (b >= 0xa1 && b <= 0xd7 && next >= 0xa1 && next <= 0xfe) {
      high += 2;
      const inCapitals =
        isCapital(body[i - 1]) &&
        isAccentedCapital(b) &&
        isAccentedCapital(next) &&
        (isCapital(body[i + 2]) || (b === 0xc9 && next === 0xc9 && endsWord(body[i + 2])));
      if (!inCapitals) common += 2;
      i++;
    } else {
      high++;
      // A GBK character's trail byte belongs to it, not to the next character.
      if (b >= 0x81 && b <= 0xfe && next >= 0x80 && next <= 0xfe) {
        high++;
        i++;
      }
    }
  }
  return common >= high * COMMON_GB_SHARE;
}

/** Whether a byte is an ASCII capital letter. */
function isCapital(b: number | undefined): boolean {
  return b !== undefined && b >= 0x41 && b <= 0x5a;
}

/**
 * Whether a byte ends the word before it: none, or ASCII that is no letter or digit (a space,
 * `<`, punctuation). A high byte goes on with the word, or is Chinese text (`A缮写`).
 */
function endsWord(b: number | undefined): boolean {
  if (b === undefined) return true;
  const digit = b >= 0x30 && b <= 0x39;
  const lower = b >= 0x61 && b <= 0x7a;
  return b <= 0x7f && !digit && !lower && !isCapital(b);
}

/** Whether a byte is a Latin-1 accented capital letter (0xD7 is `×`). */
function isAccentedCapital(b: number): boolean {
  return b >= 0xc0 && b <= 0xde && b !== 0xd7;
}

/** The share of high bytes in common GBK characters that makes bytes GBK Chinese text. */
const COMMON_GB_SHARE = 0.8;

/** Whether most of the text's non-ASCII characters are CJK (ideographs, CJK and full-width punctuation). */
export function mostlyChinese(text: string): boolean {
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c <= 0x7f) continue;
    if ((c >= 0x3000 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef)) cjk++;
    else other++;
  }
  return cjk > 0 && cjk >= other;
}

/**
 * Whether most of the text's non-ASCII characters are East Asian: CJK as in mostlyChinese, or
 * Hangul (syllables, jamo). UTF-8 Korean under a Big5 or EUC-KR declaration reads as other
 * characters as UTF-8 Chinese does.
 */
export function mostlyEastAsian(text: string): boolean {
  let eastAsian = 0;
  let other = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c <= 0x7f) continue;
    if (
      (c >= 0x1100 && c <= 0x11ff) ||
      (c >= 0x3000 && c <= 0x9fff) ||
      (c >= 0xac00 && c <= 0xd7af) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xff00 && c <= 0xffef)
    )
      eastAsian++;
    else other++;
  }
  return eastAsian > 0 && eastAsian >= other;
}
