/**
 * Every place a time zone is given refuses one it does not know by one rule and with one message,
 * naming the file, the field and the value (core/time-zone.ts). The schedules, the reconcile
 * report's times, the `date` transform and the department's "today" each said it in words of
 * their own, some without the file; and `lifecycle.timeZone` and `reconcile.timeZone` loaded
 * unchecked, the reconcile zone failing only inside the first report.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import type { QueueSet } from '../../pipelines/queues.js';
import { assertTimeZone } from '../../pipelines/reconcile/local-time.js';
import { syncSchedules } from '../../pipelines/schedules.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const BAD = 'Asia/Shangai';
const FILE = '/etc/licbridge/licbridge.yaml';
const said = (field: string) =>
  `expected \`${field}\` to be an IANA time zone such as Asia/Shanghai, got \`${BAD}\`, which this system does not know`;

function thrown(f: () => unknown): LicbridgeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).code).toBe(ErrorCodes.CONFIG_INVALID);
    return e as LicbridgeError;
  }
  throw new Error('not refused');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a time zone this system does not know', () => {
  it('schedule: refused before Redis is asked anything, naming the file', async () => {
    const config = {
      file: FILE,
      pipelines: {},
      reconcile: {},
      lifecycle: { timeZone: BAD },
    } as unknown as Config;
    // Nothing of the queues may be touched: an empty object would throw a TypeError instead.
    const e = await syncSchedules(config, {} as QueueSet).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).message).toBe(
      `schedule: nothing installed: ${FILE}: ${said('lifecycle.timeZone')}`,
    );
  });

  it("the reports' local time: the same message", () => {
    expect(thrown(() => assertTimeZone(BAD, 'reconcile.timeZone', FILE)).message).toBe(
      `${FILE}: ${said('reconcile.timeZone')}`,
    );
  });

  it("the department's today (a run's and preview's mapper): the same message", () => {
    vi.stubEnv('LICBRIDGE_TODAY', '2024-03-01');
    const config = { file: FILE, lifecycle: { timeZone: BAD } } as unknown as Config;
    expect(thrown(() => lifecycleToday(config)).message).toBe(`${FILE}: ${said('lifecycle.timeZone')}`);
  });

  it('the date transform: the same message at the mapping file and line', () => {
    const text = `fields:\n  issueDate: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], zone: ${BAD} } }] }\n`;
    let message = '';
    try {
      compileMappingText(text, '/maps/m.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`/maps/m.yaml:2:`);
    expect(message).toContain(said('zone'));
  });

  it('a zone given as no text', () => {
    const text =
      'fields:\n  issueDate: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], zone: 8 } }] }\n';
    expect(() => compileMappingText(text, '/maps/m.yaml')).toThrow(
      'expected `zone` to be an IANA time zone such as Asia/Shanghai, got `8` (number)',
    );
  });

  it('the config: both zones refused at load, each at its line', async () => {
    const text = `${VALID_CONFIG}lifecycle: { timeZone: ${BAD} }\nreconcile:\n  timeZone: ${BAD}\n`;
    const { error, problems, file } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['lifecycle.timeZone', positionOf(text, 'lifecycle:').line, said('lifecycle.timeZone')],
      ['reconcile.timeZone', positionOf(text, `  timeZone: ${BAD}`).line, said('reconcile.timeZone')],
    ]);
    expect(formatConfigError(error)).toContain(`${file}:${positionOf(text, `  timeZone: ${BAD}`).line}:`);
  });
});
