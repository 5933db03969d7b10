// A text box narrower than one character at its `size` (one em) holds no character on a line:
// every license showed only `…` there. The template is refused when the catalog loads, at the
// box's `width`, as the other face checks are (catalog/face-template.ts faceProblems).
import { describe, expect, it } from 'vitest';
import { sampleFace, sampleFaceProblems } from './sample-face.js';

const TEXT = `face:
  page: { width: 100, height: 80 }
  texts:
    - { x: 10, y: 10, width: 50, size: 5, text: 许可证 }
    - { x: 10, y: 20, width: 50, size: 5, field: holder.name }
  seal: { x: 60, y: 40, width: 20, height: 20 }
  qr: { x: 10, y: 50, size: 20 }
`;

const template = sampleFace();
const problems = sampleFaceProblems(TEXT, {});

describe('a text box at least one character wide', () => {
  it('is accepted one em wide at its size, exactly', () => {
    expect(problems(template((f) => Object.assign(f.texts[1] ?? {}, { width: 5 })))).toEqual([]);
  });

  it('is refused narrower, at the line of its box, naming the width it needs', () => {
    expect(problems(template((f) => Object.assign(f.texts[1] ?? {}, { width: 4.9 })))).toEqual([
      '5 face.texts.1.width: expected `width` to be at least one character at `size` (5 mm), got `4.9`: a narrower box would show only … on every license',
    ]);
    // Its own size counts, not the other box's: 4 mm holds a character of 4 mm.
    expect(
      problems(template((f) => Object.assign(f.texts[0] ?? {}, { width: 3, size: 4, minSize: 3 }))),
    ).toEqual([
      '4 face.texts.0.width: expected `width` to be at least one character at `size` (4 mm), got `3`: a narrower box would show only … on every license',
    ]);
  });
});
