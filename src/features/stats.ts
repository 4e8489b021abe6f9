import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import {
  applicationsPage,
  countDraftApplications,
  countSessionsBetween,
  eventsBetween,
  pairCounts,
  pairParties,
  programmeNames,
  sessionsBetween,
  type TeamRecord,
  teamsPage,
} from '../db/programme-overview.js';
import { programmeOf } from '../db/programmes.js';
import { APPLICATION_STATUSES, type ApplicationStatus, applicationStatus } from '../domain/application-status.js';
import { teamStatus } from '../domain/team-status.js';
import { formatLocalClock } from '../domain/time-zone.js';
import { localTimeText, zoneName } from '../local-time-text.js';
import { paginate } from '../exports/workbook.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { programmeName } from '../domain/programme-name.js';

/** /stats: where the programme stands, in numbers, and what is coming in the next 30 days. */
export const statsFeature = new Composer<BotContext>();

const UPCOMING_DAYS = 30;
const UPCOMING_SHOWN = 10;
const PAGE = 500;

const TEAM_STATUSES = ['invited', 'joined', 'answering', 'submitted', 'paired'] as const;
type TeamStatusCode = (typeof TEAM_STATUSES)[number];

function teamStatusCode(team: TeamRecord): TeamStatusCode {
  if (team.activeMentorId !== undefined) return 'paired';
  const analysis = team.needsAnalysis;
  return teamStatus({
    members: team.members,
    answers: analysis ? Object.keys(analysis.answers).length : 0,
    needsAnalysis: (analysis?.status as 'draft' | 'submitted' | 'withdrawn' | undefined) ?? 'none',
  });
}

statsFeature.command('stats', coordinatorOnly, async (ctx) => {
  const { deps, t, locale } = ctx;
  const { db, clock } = deps;
  const programme = await programmeOf(deps);
  const now = clock.now();

  const applications = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, 0])) as Record<ApplicationStatus, number>;
  for await (const application of paginate((cursor, take) => applicationsPage(db, programme.id, cursor, take, { answers: false }), (a) => a.id, PAGE)) {
    applications[applicationStatus(application.status, application.decisions)]++;
  }
  const teams = Object.fromEntries(TEAM_STATUSES.map((s) => [s, 0])) as Record<TeamStatusCode, number>;
  for await (const team of paginate((cursor, take) => teamsPage(db, programme.id, cursor, take), (team) => team.id, PAGE)) {
    teams[teamStatusCode(team)]++;
  }
  const drafts = await countDraftApplications(db, programme.id);
  const pairs = await pairCounts(db, programme.id);

  const lines = [
    t('stats.title', { programme: programmeName(programme, locale) }),
    '',
    t(programme.callOpen ? 'stats.call_open' : 'stats.call_closed'),
    programme.applicationDeadline
      ? t(programme.applicationDeadline.getTime() < now.getTime() ? 'stats.deadline_passed' : 'stats.deadline', {
          deadline: localTimeText(t, programme.applicationDeadline, programme.timeZone, locale),
        })
      : t('stats.no_deadline'),
    '',
    t('stats.applications', { total: Object.values(applications).reduce((a, b) => a + b, 0), drafts }),
    t('stats.application_counts', applications),
    t('stats.mentors', { count: pairs.mentors }),
    '',
    t('stats.teams', { total: Object.values(teams).reduce((a, b) => a + b, 0) }),
    t('stats.team_counts', teams),
    t('stats.pairs', { active: pairs.active, ended: pairs.ended }),
    '',
    ...(await upcoming(ctx, programme.id, programme.timeZone, now)),
  ];
  await ctx.reply(lines.join('\n'));
});

async function upcoming(ctx: BotContext, programmeId: number, timeZone: string, now: Date): Promise<string[]> {
  const { t } = ctx;
  const { db } = ctx.deps;
  const until = new Date(now.getTime() + UPCOMING_DAYS * 24 * 60 * 60_000);
  const [sessions, sessionTotal, events] = await Promise.all([
    sessionsBetween(db, programmeId, now, until, UPCOMING_SHOWN),
    countSessionsBetween(db, programmeId, now, until),
    eventsBetween(db, programmeId, now, until, UPCOMING_SHOWN),
  ]);
  const title = t('stats.upcoming_title', { days: UPCOMING_DAYS });
  if (sessionTotal === 0 && events.total === 0) return [title, t('stats.nothing_upcoming')];
  // The zone is said once, in the title: each line shows the programme's clock.
  const lines: string[] = [`${title} ${t('stats.upcoming_zone', { zone: zoneName(t, timeZone, ctx.locale) })}`];
  const when = (date: Date) => formatLocalClock(date, timeZone);
  if (sessionTotal > 0) {
    const names = await programmeNames(db, programmeId);
    const parties = await pairParties(db, sessions.map((s) => s.pairId).filter((id): id is number => id !== null));
    lines.push(t('stats.sessions_title', { count: sessionTotal }));
    for (const session of sessions) {
      const party = session.pairId !== null ? parties.get(session.pairId) : undefined;
      const pair = party ? `${names.mentors.get(party.mentorId) ?? '—'} – ${names.teams.get(party.teamId) ?? '—'}` : '—';
      lines.push(t('stats.session_line', { date: when(session.startsAt), kind: t(`export.session_kind.${session.kind}`, { defaultValue: session.kind }), pair }));
    }
    if (sessionTotal > sessions.length) lines.push(t('stats.more', { count: sessionTotal - sessions.length }));
  }
  if (events.total > 0) {
    lines.push(t('stats.events_title', { count: events.total }));
    for (const event of events.events) {
      lines.push(
        t('stats.event_line', { date: when(event.startsAt), title: event.title, place: event.place, registered: event.registered, capacity: event.capacity }),
      );
    }
    if (events.total > events.events.length) lines.push(t('stats.more', { count: events.total - events.events.length }));
  }
  return lines;
}
