import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../core/logger.js';

/** A logger at `level` whose JSON lines are kept, one string a line, in `lines` as they are written. */
export function lineLogger(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  });
  return { logger, lines };
}
