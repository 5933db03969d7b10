/**
 * Being gentle with a department's production database: a read window (only read at night, say
 * `20:00-06:00`) and a rows-per-second ceiling. Both act between pages, never inside a query.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

/** Minutes since local midnight at the start and end of the window; end < start spans midnight. */
export interface ReadWindow {
  start: number;
  end: number;
}

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export function parseReadWindow(source: string, text: string): ReadWindow {
  const m = WINDOW.exec(text.trim());
  if (!m) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `source ${source}: readWindow: expected \`HH:MM-HH:MM\` (e.g. \`20:00-06:00\`), got \`${text}\``,
      { context: { source } },
    );
  }
  const [, h1, m1, h2, m2] = m;
  return { start: Number(h1) * 60 + Number(m1), end: Number(h2) * 60 + Number(m2) };
}

/** Whether `now` (host-local time) lies in the window. Equal start and end means all day. */
export function inReadWindow(window: ReadWindow, now: Date): boolean {
  const t = now.getHours() * 60 + now.getMinutes();
  if (window.start === window.end) return true;
  return window.start < window.end
    ? t >= window.start && t < window.end
    : t >= window.start || t < window.end;
}

/**
 * `now` as the window reads it, host-local `HH:MM`, with the host's offset (`13:05 (UTC+00:00)`):
 * the window is in the host's zone, which need not be the department's (a container left on UTC).
 */
export function hostTime(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -now.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${two(now.getHours())}:${two(now.getMinutes())} (UTC${zone})`;
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A ceiling on rows per second over a whole read: after each page it waits until the rows read so
 * far would not exceed the rate. Averaged over the read, so one slow page lets the next go at once.
 */
export class RowRate {
  private readonly perSecond: number | undefined;
  private readonly now: () => number;
  private readonly started: number;
  private rows = 0;

  constructor(perSecond: number | undefined, now: () => number = Date.now) {
    this.perSecond = perSecond;
    this.now = now;
    this.started = now();
  }

  /** How long to wait after `rows` more rows, ms (0 without a ceiling). */
  delayAfter(rows: number): number {
    this.rows += rows;
    if (!this.perSecond) return 0;
    const due = this.started + (this.rows / this.perSecond) * 1000;
    return Math.max(0, Math.ceil(due - this.now()));
  }
}
