// A template's fixed texts (the title, captions) are laid out once per template and shared by
// every layout of it: the same lines as laid out afresh, unchangeable, and never those of another
// template — a template edited into a new object is laid out anew.
import { describe, expect, it } from 'vitest';
import type { FaceTemplate } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const TITLE = foodTemplate.texts.findIndex((t) => t.text !== undefined);

function title(template: FaceTemplate): string {
  const box = template.texts[TITLE];
  return layoutFace(template, foodLicense())
    .lines.filter((l) => l.top === box?.y)
    .map((l) => l.text)
    .join('');
}

describe("a template's fixed texts", () => {
  it('are the lines of a fresh layout, for every license, and cannot be changed through a layout', () => {
    const first = layoutFace(foodTemplate, foodLicense(1));
    const second = layoutFace(foodTemplate, foodLicense(2));
    // The same template as a new object: nothing laid out for it before.
    const fresh = layoutFace({ ...foodTemplate }, foodLicense(1));
    expect(JSON.stringify(first)).toBe(JSON.stringify(fresh));
    const titleLine = first.lines.find((l) => l.text === foodTemplate.texts[TITLE]?.text) as LaidLine;
    expect(titleLine).toBeDefined();
    expect(second.lines).toContain(titleLine);
    expect(() => {
      (titleLine as { x: number }).x = 0;
    }).toThrow(TypeError);
    expect(() => (titleLine.deltas as number[]).push(1)).toThrow(TypeError);
    expect(JSON.stringify(layoutFace(foodTemplate, foodLicense(1)))).toBe(JSON.stringify(fresh));
  });

  it('of an edited template are its own', () => {
    expect(title(foodTemplate)).toBe('食品经营许可证');
    const edited: FaceTemplate = {
      ...foodTemplate,
      texts: foodTemplate.texts.map((t, i) => (i === TITLE ? { ...t, text: '药品经营许可证' } : t)),
    };
    expect(title(edited)).toBe('药品经营许可证');
    expect(title(foodTemplate)).toBe('食品经营许可证');
  });
});
