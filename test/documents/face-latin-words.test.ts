// A face value in Latin letters and digits (an address or a name in English, a code, a date in
// digits) wrapped wherever its box ran out: `Changjiang Midd` on one line and `le Road` on the
// next, a code such as a credit code or a licence number split in two with nothing to say it goes
// on — a sealed license read wrongly, or copied from in two pieces. A run of letters and digits (a
// word: everything between spaces and full-width characters) now goes down to the next line
// whole; only a word longer than a whole line is broken inside.
import { describe, expect, it } from 'vitest';
import type { FaceTemplate } from '../../adapters/documents/face/face-template.js';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const ADDRESS = 'Room 1203, Building 5, No. 216 Changjiang Middle Road, Huangdao District, Qingdao, Shandong';

function premisesLines(premises: string, template: FaceTemplate = foodTemplate): string[] {
  const license = foodLicense(5);
  (license.surface as Record<string, unknown>).premises = premises;
  // The premises box's lines: from its caption to the next box's (主体业态).
  const texts = layoutFace(template, license).lines.map((l) => l.text);
  const first = texts.findIndex((t) => t.startsWith('经营场所：'));
  const next = texts.findIndex((t) => t.startsWith('主体业态：'));
  return texts.slice(first, next);
}

/** The words of a text, as a reader reads them across its lines. */
const words = (lines: readonly string[]) =>
  lines
    .join(' ')
    .split(/[\s：]+/)
    .filter(Boolean);

describe('Latin words on a face', () => {
  it('go down to the next line whole', () => {
    const lines = premisesLines(ADDRESS);
    expect(lines.length).toBe(2);
    expect(words(lines)).toEqual(words([`经营场所：${ADDRESS}`]));
    // Each line but the last ends at a space, and the next starts with a word.
    for (let n = 0; n + 1 < lines.length; n++) {
      expect(lines[n]).toMatch(/ $/);
      expect(lines[n + 1]).toMatch(/^[^ ]/);
    }
  });

  it('keep a code of letters and digits whole between Chinese text', () => {
    // 经营场所： and 24 CJK characters reach 29 em; the code after them would not fit the 28.9 em line.
    const code = '91370211MA3C4XYZ0B';
    const lines = premisesLines(`山东省青岛市黄岛区长江中路阿里山路交汇处东北角${code}号`);
    expect(lines.some((l) => l.includes(code))).toBe(true);
  });

  it('break at a zero-width space inside a word', () => {
    const lines = premisesLines(ADDRESS.replace('Changjiang Middle', 'Changjiang\u200bMiddle'));
    expect(lines[0]).toMatch(/ Changjiang\u200b$/);
    expect(lines[1]).toMatch(/^Middle Road,/);
  });

  it('break a word longer than a whole line inside it, as before', () => {
    const long = 'X'.repeat(60);
    const lines = premisesLines(long, {
      ...foodTemplate,
      texts: foodTemplate.texts.map((t) => (t.field === 'surface.premises' ? { ...t, maxLines: 3 } : t)),
    });
    expect(lines.join('')).toBe(`经营场所：${long}`);
  });
});
