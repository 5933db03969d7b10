/**
 * Log lines for a person at a terminal: `16:07:00 INFO  extract: done  pipeline=… read=3000`.
 * pino writes JSON; on a terminal each JSON line is turned into one such line as it is written.
 * What reaches here was already scrubbed of values from config references (core/scrub.ts), and
 * every value is made terminal-safe again, since parsing the JSON undoes its escapes.
 */
import { terminalLine } from './terminal-text.js';

const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

// Shown elsewhere on the line (time, level, message) or the same on every line (app).
const LEFT_OUT = new Set(['level', 'time', 'msg', 'app']);

function showValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** One JSON log line as text; a line that is not JSON passes as it is. */
export function textLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? new Date(entry.time) : new Date();
  const hh = [time.getHours(), time.getMinutes(), time.getSeconds()].map((n) => String(n).padStart(2, '0'));
  const level = LEVELS[Number(entry.level)] ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([k]) => !LEFT_OUT.has(k))
    .map(([k, v]) => `${k}=${showValue(v)}`)
    .join(' ');
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${hh.join(':')} ${level} ${terminalLine(msg)}${fields ? `  ${terminalLine(fields)}` : ''}\n`;
}

/** A destination that writes each JSON line to `out` as text. */
export function textLogStream(out: { write(text: string): unknown }): { write(line: string): boolean } {
  return {
    write(line: string): boolean {
      for (const one of line.split('\n')) if (one.trim() !== '') out.write(textLogLine(one));
      return true;
    },
  };
}

/**
 * `json` or `text`: `LICBRIDGE_LOG_FORMAT`, else the configured format; `auto` is text on a
 * terminal and JSON when stderr goes to a file, a pipe or a log collector.
 */
export function logFormat(configured: 'auto' | 'json' | 'text' = 'auto', env = process.env): 'json' | 'text' {
  const chosen =
    env.LICBRIDGE_LOG_FORMAT === 'json' || env.LICBRIDGE_LOG_FORMAT === 'text'
      ? env.LICBRIDGE_LOG_FORMAT
      : configured;
  if (chosen === 'auto') return process.stderr.isTTY ? 'text' : 'json';
  return chosen;
}
