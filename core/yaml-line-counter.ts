/**
 * The YAML parser's line counter, placing positions as an editor shows them: a file saved with a
 * byte order mark (as Windows editors save UTF-8) has it counted by the parser's offsets, while an
 * editor shows no character for it. Line 1's columns start after it, as the not-UTF-8 problem
 * counts them (core/not-utf8.ts).
 */
import { LineCounter } from 'yaml';

export function editorLineCounter(text: string): LineCounter {
  const lines = new LineCounter();
  if (text.startsWith('\uFEFF')) {
    const linePos = lines.linePos.bind(lines);
    lines.linePos = (offset: number) => {
      const pos = linePos(offset);
      return pos.line === 1 ? { line: 1, col: Math.max(1, pos.col - 1) } : pos;
    };
  }
  return lines;
}
