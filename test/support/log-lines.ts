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

/** Each text logged at info, and the `msg` of each line as written. */
export function loggedMessages(texts: readonly string[]): string[] {
  const { lines, logger } = lineLogger('trace');
  for (const text of texts) logger.info(text);
  return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
}
