/**
 * How much text regular expressions were run over while `run` ran: each `exec` (which `test`,
 * `replace`, `matchAll`, `search` and `split` call for every match they look for) and the
 * characters it had before it. A count, not a time: a rule that reads a text again for each match
 * shows as characters growing with the square of the text's length.
 */
export function regexpScans(run: () => void): { calls: number; chars: number } {
  const exec = RegExp.prototype.exec;
  let calls = 0;
  let chars = 0;
  RegExp.prototype.exec = function (this: RegExp, text: string) {
    calls += 1;
    chars += String(text).length - (this.global || this.sticky ? this.lastIndex : 0);
    return exec.call(this, text);
  };
  try {
    run();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return { calls, chars };
}
