import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Secrets handed in here are cut out of every line before it is
 * written, whatever the line came from (an error from the HTTP client can carry
 * the request URL, which holds the bot token).
 *
 * Standard output is written asynchronously: a synchronous write stops every chat's
 * update while the pipe or terminal is full. What is buffered is written at exit
 * (pino flushes it), so only a SIGKILL can lose the last few lines.
 */
export function createLogger(level: string, secrets: string[] = [], destination?: pino.DestinationStream): Logger {
  const hidden = secrets.filter((s) => s.length >= 8);
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        streamWrite: (line) => hidden.reduce((out, secret) => out.split(secret).join('[redacted]'), line),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
