import type { Api } from 'grammy';
import type { AppDeps } from '../context.js';
import { programmeOf } from '../db/programmes.js';
import type { Job } from '../scheduler.js';
import { queueFollowUps } from '../sessions/service.js';

/**
 * Every five minutes, mentors of sessions that have ended are asked whether they took
 * place (through the outbox, which sends them). Reminders need no job: they are queued
 * in the outbox with their due time when a session is scheduled or moved.
 */
export function sessionJobs(deps: AppDeps, _api: Api): Job[] {
  return [
    {
      name: 'session-follow-ups',
      schedule: '*/5 * * * *',
      timeZone: deps.config.timeZone,
      async run() {
        const programme = await programmeOf(deps);
        const queued = await queueFollowUps(deps, programme);
        if (queued > 0) deps.logger.info({ queued }, 'session follow-ups queued');
      },
    },
  ];
}
