/**
 * Advances of characters in em: CJK and full-width forms take a full em, Latin letters, digits and
 * half-width punctuation half an em. Both the OFD (per-glyph DeltaX) and the picture of a face
 * place each glyph at these advances, so layout and wrapping never depend on a reader's font.
 */
export function advanceEm(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  // Capitals and W, M are wider than digits in every Latin face a reader may substitute.
  if ((cp >= 0x41 && cp <= 0x5a) || ch === 'm' || ch === 'w') return 0.62;
  if (cp < 0x1100) return 0.5;
  // Half-width katakana and forms.
  if (cp >= 0xff61 && cp <= 0xffdc) return 0.5;
  return 1;
}

export function widthEm(text: string): number {
  let w = 0;
  for (const ch of text) w += advanceEm(ch);
  return w;
}

/**
 * Characters a line must not start with (Chinese line breaking, 避头): closing punctuation and
 * enumeration commas stay at the end of the previous line, overhanging its box a little.
 */
export const NO_LINE_START = new Set([...'、，。；：？！）》」』】〕…·,.;:?!)]}%']);
