/**
 * How much text regular expressions were run over while `run` ran: each `exec` (which `test`,
 * `replace`, `matchAll`, `search` and `split` call for every match they look for) and the
 * characters it went over, from where it started to the end of its match or of the text. A count, not a time: a rule that reads a text again for each match
 * shows as characters growing with the square of the text's length.
 */
export function regexpScans(run: () => void): { calls: number; chars: number } {
  const exec = RegExp.prototype.exec;
  let calls = 0;
  let chars = 0;
  RegExp.prototype.exec = function (this: RegExp, text: string) {
    calls += 1;
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const found = exec.call(this, text);
    // Read from where it started to the end of what it found, or to the end of the text.
    chars += (found === null ? String(text).length : found.index + found[0].length) - from;
    return found;
  };
  try {
    run();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return { calls, chars };
}
