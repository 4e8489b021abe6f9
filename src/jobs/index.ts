import type { Api } from 'grammy';
import type { AppDeps } from '../context.js';
import type { Job } from '../scheduler.js';
import { maintenanceJobs } from './maintenance-jobs.js';
import { progressJobs } from './progress-jobs.js';
import { sessionJobs } from './session-jobs.js';

/** The bot's scheduled work, contributed by each part of the programme. */
export function createJobs(deps: AppDeps, api: Api): Job[] {
  return [...sessionJobs(deps, api), ...progressJobs(deps, api), ...maintenanceJobs(deps)];
}
