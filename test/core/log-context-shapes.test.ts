/**
 * An error's context reaches a log line as it is (core/logger.ts), beside its message, which is
 * masked as every shown error is. Some context values come from outside: the machine token a
 * platform answered an HTTP error with (`reason`), the record key a command names (`recordKey`).
 * A token holding a mobile or ID number written in groups (`138-0013-8000`) passes the digit rule
 * (no run of seven digits) and was logged whole. A log line now masks such numbers in an error's
 * context by their shape, as in its message; other context values stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { errorFromStatus } from '../../adapters/platforms/shared/http-failure.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
/**
 * A mobile number whose middle group is unlike its last one: the last stays readable in the masked
 * value (`***-****-8000`), so a middle group equal to it would be found there.
 */
function mobile(): string {
  for (;;) {
    const number = `13${digits(9)}`;
    if (number.slice(3, 7) !== number.slice(7)) return number;
  }
}
const MOBILE = mobile();
const GROUPED_MOBILE = `${MOBILE.slice(0, 3)}-${MOBILE.slice(3, 7)}-${MOBILE.slice(7)}`;
const ID_KEY = `1${digits(5)}19850${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}${digits(4)}`;

function logged(error: Error): string {
  const { logger, lines } = lineLogger();
  logger.error({ err: error }, 'deliver: failed');
  logger.error(error);
  return lines.join('\n');
}

/**
 * The log lines without what no input wrote into them: the time and the stack's frames, whose line
 * and column numbers are any digits (a random group of four was once found as `:2326:20`). What the
 * error says, its context and its stack's first line stay, to be searched whole.
 */
function written(lines: string): string {
  return lines
    .split('\n')
    .map((line) => {
      const { time: _time, ...entry } = JSON.parse(line) as { time?: string; err?: { stack?: string } };
      if (entry.err?.stack !== undefined) {
        entry.err.stack = entry.err.stack
          .split('\n')
          .filter((frame) => !/^\s+at /.test(frame))
          .join('\n');
      }
      return JSON.stringify(entry);
    })
    .join('\n');
}

describe("an error's context in a log line", () => {
  it("masks a platform's reason token holding a mobile number in groups", () => {
    const error = errorFromStatus(400, JSON.stringify({ reason: GROUPED_MOBILE }), undefined, {
      target: 'province',
      origin: 'https://platform.example.gov.cn',
      now: Date.now(),
    });
    const line = logged(error);
    expect(line).not.toContain(GROUPED_MOBILE);
    const said = written(line);
    expect(said).toContain('"stack":"LicbridgeError: target province');
    expect(said).not.toContain(MOBILE.slice(3, 7));
    // Masked where the platform's answer is read (scrubPersonal), its separators kept.
    expect(line).toContain(`"reason":"***-****-${MOBILE.slice(7)}"`);
    expect(line).toContain('"target":"province"');
  });

  it('masks a record key that is an ID number, and leaves other values whole', () => {
    const runId = crypto.randomUUID();
    const error = new LicbridgeError(
      ErrorCodes.USAGE,
      'quarantine show: no quarantine record for this source key',
      {
        context: { recordKey: ID_KEY, pipeline: 'food', runId, file: '/srv/export/2024-01-05.xml', line: 12 },
      },
    );
    const line = logged(error);
    expect(line).not.toContain(ID_KEY);
    expect(line).toContain(`"recordKey":"${ID_KEY.slice(0, 4)}**********${ID_KEY.slice(-4)}"`);
    expect(line).toContain(`"runId":"${runId}"`);
    expect(line).toContain('"file":"/srv/export/2024-01-05.xml"');
    expect(line).toContain('"line":12');
  });
});
