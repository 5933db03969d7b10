// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * A cron expression of five or six fields that names no time (`0 0 31 4 *`, April 31st; `61 2 * * *`;
 * `a b c d e`) matched the schema's shape and loaded: `config check` said ok, `licbridge run` and
 * `worker` ran, `status` took the pipeline for unscheduled, and only `licbridge schedule` refused
 * it, with no line. Each is refused when the config loads, at its line, in the words cron-parser
 * (BullMQ's reader of the expression) gives.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const withSchedule = (schedule: string, extra = ''): string =>
  `${VALID_CONFIG.replace('    targets: [province]\n', `    targets: [province]\n    schedule: ${schedule}\n`)}${extra}`;

describe('a cron expression that names no time', () => {
  it.each([
    ['April 31st', "'0 0 31 4 *'", /day of month/i],
    ['minute 61', "'61 2 * * *'", /0-59/],
    ['hour 25', "'0 25 * * *'", /0-23/],
    ['not cron at all', "'a b c d e'", /invalid characters/i],
    ['six fields, second 99', "'99 * * * * *'", /0-59/],
  ])('a pipeline schedule (%s) is refused at its line', async (_, written, why) => {
    const text = withSchedule(written);
    const { file, problems } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p?.file).toBe(file);
    expect(p?.path).toBe('pipelines.food-business-licenses.schedule');
    expect({ line: p?.line, column: p?.column }).toEqual(positionOf(text, written));
    expect(p?.message).toContain(written.slice(1, -1));
    expect(p?.message).toMatch(why);
  });

  it('reconcile.schedule and lifecycle.schedule too, each at its own line', async () => {
    const text = `${VALID_CONFIG}reconcile: { schedule: '0 0 30 2 *' }\nlifecycle:\n  schedule: '5 0 * * 8'\n`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['reconcile.schedule', positionOf(text, '0 0 30 2 *').line],
      ['lifecycle.schedule', positionOf(text, '5 0 * * 8').line],
    ]);
  });

  it('one from a reference names the reference, not its value', async () => {
    const { problems, error } = await problemsOf(withSchedule('"${env:FOOD_SCHEDULE}"'), {
      FOOD_SCHEDULE: '0 0 31 4 *',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('pipelines.food-business-licenses.schedule');
    expect(problems[0]?.message).toContain('`${env:FOOD_SCHEDULE}`');
    expect(formatConfigError(error)).not.toContain('31 4');
  });

  it('expressions that name a time still load: ranges, names, steps, 29 February, six fields', async () => {
    for (const schedule of [
      "'*/15 * * * *'",
      "'0 2 * * MON-FRI'",
      "'0 0 29 2 *'",
      "'30 0 2 * * *'",
      "'0 2 * * 7'",
    ]) {
      const file = await writeConfig(withSchedule(schedule, "lifecycle: { timeZone: 'Asia/Urumqi' }\n"), {
        'data/keys/seal.key.pem': KEY_PEM,
      });
      const config = await loadConfig({ file, env: {} });
      expect(config.pipelines['food-business-licenses']?.schedule).toBe(schedule.slice(1, -1));
    }
  });
});
