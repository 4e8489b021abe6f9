import type { AppDeps } from '../context.js';
import { anonymiseExpiredApplications } from '../db/personal-data.js';
import { forgetProcessedUpdates } from '../db/processed-updates.js';
import type { Job } from '../scheduler.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Housekeeping: the record of handled updates only needs to cover Telegram's redelivery window. */
export function maintenanceJobs(deps: AppDeps): Job[] {
  return [
    {
      name: 'forget-processed-updates',
      schedule: '17 3 * * *',
      timeZone: deps.config.timeZone,
      async run() {
        const removed = await forgetProcessedUpdates(deps.db, new Date(deps.clock.now().getTime() - WEEK_MS));
        deps.logger.debug({ removed }, 'old update records removed');
      },
    },
    {
      name: 'retention',
      schedule: '43 3 * * *',
      timeZone: deps.config.timeZone,
      async run() {
        const anonymised = await anonymiseExpiredApplications(deps.db, deps.clock.now());
        if (anonymised > 0) deps.logger.info({ anonymised }, 'applications past the retention period anonymised');
      },
    },
  ];
}
