/**
 * An individual business's credit code glued to a word (`uscc923702114432991ab0`) is masked: since
 * 2e55b3fe a hex letter beside a code holding one left it whole, taken for part of a trace id, and
 * `uscc…`'s `c` is one. A code is left whole only in a run of hex longer than an ObjectId (25 or
 * more: an md5, a sha1, a trace id, a uuid without its dashes).
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

const CODE = '923702114432991ab0';

describe('an individual business code glued to a word', () => {
  it('is masked in a log line, as its message and as a field', () => {
    for (const text of [`uscc${CODE}`, `abc${CODE}def`]) {
      const { logger, lines } = lineLogger();
      logger.info({ note: text }, `refused ${text}`);
      const line = lines[0] as string;
      expect(line).not.toContain(CODE);
      expect(JSON.parse(line)).toMatchObject({ note: text.replace(CODE, '9237**********1ab0') });
    }
  });

  it('stays whole in a run of hex as long as an id', () => {
    const { logger, lines } = lineLogger();
    logger.info({ traceId: '035da41f924962614f5aed2c31' }, 'trace 035da41f924962614f5aed2c31');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      traceId: '035da41f924962614f5aed2c31',
      msg: 'trace 035da41f924962614f5aed2c31',
    });
  });
});
