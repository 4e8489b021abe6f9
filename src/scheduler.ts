import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './logger.js';

/** A piece of scheduled work; features contribute theirs in src/app.ts. */
export interface Job {
  name: string;
  /** A cron expression, evaluated in `timeZone`. */
  schedule: string;
  timeZone: string;
  run(): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** Runs jobs on their schedules, never two ticks of one job at once; stop() waits for ticks in progress. */
export function startScheduler(jobs: Job[], logger: Logger): Scheduler {
  const running = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      () => {
        const tick = job.run().catch((err) => logger.error({ err, job: job.name }, 'scheduled job failed'));
        running.add(tick);
        return tick.finally(() => running.delete(tick));
      },
      { timezone: job.timeZone, name: job.name, noOverlap: true, suppressMissedWarning: true },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
      await Promise.all(running);
    },
  };
}
