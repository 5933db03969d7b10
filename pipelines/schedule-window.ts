/**
 * A full check (`reconcile.schedule`) whose ticks fall outside its source's `readWindow`: each is
 * refused (pipelines/read-window.ts) and recorded as failed, night after night. The two are read on
 * different clocks — the schedule in `lifecycle.timeZone`, the window in the host's local time — so
 * the default `0 2 * * *` (02:00 in Beijing) is 18:00 on a UTC host, outside a window written
 * `20:00-06:00`. `config check` warns of it, naming the tick in both.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Config } from '../config/types.js';
import { readWindowClosed } from './read-window.js';
import { reconcileSettings } from './reconcile/settings.js';
import { scheduleTimeZone } from './schedules.js';

/** How far ahead ticks are looked at: a week, so a weekly expression and a change of offset show. */
const AHEAD_MS = 8 * 86_400_000;
/** At most this many ticks of one expression (`* * * * *` has 11,520 in the week). */
const MOST_TICKS = 500;

/** The ticks of `pattern` read in `tz` after `now` and within `AHEAD_MS`; none when it names no time. */
function ticksAhead(pattern: string, tz: string, now: Date): Date[] {
  const out: Date[] = [];
  try {
    const cron = CronExpressionParser.parse(pattern, { currentDate: now, tz });
    while (out.length < MOST_TICKS) {
      const at = cron.next().toDate();
      if (at.getTime() - now.getTime() > AHEAD_MS) break;
      out.push(at);
    }
  } catch {
    // A pattern naming no time is `licbridge schedule`'s to refuse (schedules.ts checkPatterns).
  }
  return out;
}

/**
 * One warning per source with a `readWindow` that a tick of `reconcile.schedule` in the next week
 * falls outside of, naming the pipelines whose full check would be refused, the tick in the
 * schedule's zone and what the window says of it in host time; none when every tick is inside.
 */
export function checksOutsideReadWindow(config: Readonly<Config>, now = new Date()): string[] {
  const pattern = reconcileSettings({ config }).schedule;
  const tz = scheduleTimeZone(config);
  const ticks = ticksAhead(pattern, tz, now);
  const bySource = new Map<string, string[]>();
  for (const [name, p] of Object.entries(config.pipelines))
    bySource.set(p.source, [...(bySource.get(p.source) ?? []), name]);
  const out: string[] = [];
  for (const [source, pipelines] of bySource) {
    for (const tick of ticks) {
      const closed = readWindowClosed(config, source, tick);
      if (closed === null) continue;
      const zoned = tick.toLocaleString('sv-SE', { timeZone: tz }).slice(0, 16);
      out.push(
        `\`reconcile.schedule\` (\`${pattern}\`, read in lifecycle.timeZone ${tz}) ticks at ${zoned} ${tz}, outside the window: ${closed}. The full check of ${pipelines.map((p) => `pipeline ${p}`).join(', ')} is refused then and recorded as failed; give \`reconcile.schedule\` a time inside the window (the window is read in the host's time, the schedule in ${tz})`,
      );
      break;
    }
  }
  return out;
}
