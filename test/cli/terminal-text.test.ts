import { describe, expect, it } from 'vitest';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';

const ESC = '\u001b';
const BEL = '\u0007';

describe('terminalSafe: outside text a terminal cannot obey', () => {
  it('removes OSC sequences whole, ended by BEL, by ESC \\ or by 8-bit ST', () => {
    expect(terminalSafe(`a${ESC}]0;pwned title${BEL}b`)).toBe('ab');
    expect(terminalSafe(`a${ESC}]52;c;ZXZpbA==${ESC}\\b`)).toBe('ab');
    expect(terminalSafe('a\u009d0;title\u009cb')).toBe('ab');
    expect(terminalSafe(`a${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\b`)).toBe('alinkb');
    // Unterminated: a terminal would swallow the rest, so it goes.
    expect(terminalSafe(`ok${ESC}]0;never ends`)).toBe('ok');
  });

  it('removes CSI colour, cursor and erase sequences in 7-bit and 8-bit form', () => {
    expect(terminalSafe(`${ESC}[31;1mred${ESC}[0m`)).toBe('red');
    expect(terminalSafe(`line${ESC}[2K${ESC}[1A${ESC}[?25l`)).toBe('line');
    expect(terminalSafe('\u009b31mred\u009b0m')).toBe('red');
    expect(terminalSafe(`${ESC}Pq#0;2;0;0;0${ESC}\\x${ESC}(Bz${ESC}c`)).toBe('xz');
  });

  it('drops other C0 and C1 controls, DEL and bidi controls; keeps newline, tab and all printable text', () => {
    expect(terminalSafe('a\rb\bc\u0000d\u007fe\u0085f')).toBe('abcdef');
    expect(terminalSafe('x\u202eevil\u202cy\u2066z\u2069\u200f')).toBe('xevilyz');
    expect(terminalSafe('两行\n\t食品经营许可证 ✓ é')).toBe('两行\n\t食品经营许可证 ✓ é');
  });

  it('terminalLine also folds newlines, so a value cannot forge a line of its own', () => {
    expect(terminalLine(`reason one\nlicbridge: all well${ESC}[0m\r\n`)).toBe(
      'reason one licbridge: all well',
    );
  });

  it('terminalLine keeps an ideographic space: a name or address written with one is shown as written', () => {
    // `audit show` prints an actor so; folded, `王　五` read as `王 五`, another name.
    expect(terminalLine('operator:王\u3000五\n\u2028伪造')).toBe('operator:王\u3000五 伪造');
    expect(terminalLine('\u3000某街道\u3000\u3000便民服务中心 ')).toBe(
      '\u3000某街道\u3000\u3000便民服务中心',
    );
  });

  it('handles a long run of introducers', () => {
    const hostile = `${`${ESC}[`.repeat(50_000)}${'\u009d'.repeat(50_000)}`;
    expect(terminalSafe(hostile)).toBe('');
  });
});

describe('terminalJson', () => {
  it('is the same JSON value, with C1 and bidi controls escaped', () => {
    const value = { code: `X\u009b31m\u202eY${ESC}]0;t${BEL}`, n: 1 };
    const text = terminalJson(value, 2);
    expect(JSON.parse(text)).toEqual(value);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: it looks for control characters on purpose
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});
