/**
 * The tick's warning about the licenses it set aside (their stored text corrupt) named every one
 * of them in its message and in a field: a day that set thousands aside wrote one log line
 * holding them all. It now names how many, the first ten, and the command that lists them all;
 * the tick's result (`lifecycle run --json`'s `setAside`) still names each.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { realDayWorkspace } from './reminders-fixture.js';
import { editStoredText } from './stored-text-fixture.js';

const BROKEN = 13;

describe('the tick that sets many licenses aside', () => {
  const ws = realDayWorkspace({ backend: BACKENDS[0] });

  it('warns with their count, the first ten and where to see them all', async () => {
    const today = lifecycleToday(ws.config)();
    for (let n = 1; n <= BROKEN; n++) {
      await ws.commit(n, addDays(today, -30 + n), { phone: `1391234${String(n).padStart(4, '0')}` });
      await editStoredText(ws, ws.licenseId(n), (text) => text.slice(0, 20));
    }
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const rt = new Runtime(ws.config, createLogger({ level: 'warn', destination: sink }));
    try {
      const result = await lifecycleTick(rt, { pipelines: [ws.pipeline] });
      const setAside = result.pipelines[0]?.setAside ?? [];
      expect([...setAside].sort()).toEqual(
        Array.from({ length: BROKEN }, (_, i) => ws.licenseId(i + 1)).sort(),
      );
      const warnings = lines
        .map((l) => JSON.parse(l) as { code?: string; msg: string; licenseIds?: string[]; setAside?: number })
        .filter((l) => l.code === 'LB_STORED_TEXT');
      expect(warnings).toHaveLength(1);
      const warning = warnings[0] as (typeof warnings)[number];
      expect(warning.msg).toContain(`lifecycle: ${BROKEN} license(s) due to expire not expired`);
      expect(warning.msg).toContain(`${setAside.slice(0, 10).join(', ')} and 3 more`);
      expect(warning.msg).toContain(
        `\`licbridge quarantine list --pipeline ${ws.pipeline} --reason LB_STORED_TEXT\` names them all`,
      );
      expect(warning.licenseIds).toEqual(setAside.slice(0, 10));
      expect(warning.setAside).toBe(BROKEN);
      const line = lines.find((l) => l.includes('LB_STORED_TEXT')) ?? '';
      for (const id of setAside.slice(10)) expect(line).not.toContain(id);
    } finally {
      await rt.close();
    }
  });
});
