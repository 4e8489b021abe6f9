import type { Actor } from '../actor.js';
import {
  type ApplicationDecision,
  type ApplicationRow,
  claimForSending,
  findApplication,
  findDecision,
  recordDecisions,
  releaseClaim,
  undoUnsent,
} from '../db/applications.js';
import { recordAudit } from '../db/audit.js';
import type { Person } from '../db/database.js';
import { type Mentor, recordMentor } from '../db/mentors.js';
import { findPersonById } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { type Decision, defaultMessageKey } from '../domain/application-status.js';
import { programmeName } from '../domain/programme-name.js';
import type { Translate } from '../i18n.js';
import { isLocale, type Locale } from '../locales.js';
import { notifyPerson } from '../notify.js';

/**
 * Deciding on applications and telling the applicants, for the chat review
 * (/applications) and the console page alike: the same messages, the same
 * send-once rule, the same audit entries.
 */

export const isWaiting = (d: ApplicationDecision) => !d.sentAt && !d.undoneAt;

export function applicationName(row: ApplicationRow): string {
  return row.name ?? `#${row.id}`;
}

export function applicantLocale(actor: Pick<Actor, 'deps'>, person: Person | null | undefined): Locale {
  return isLocale(person?.language) ? person.language : actor.deps.config.defaultLocale;
}

export async function auditReview(actor: Actor, action: string, details: Record<string, unknown>): Promise<void> {
  await recordAudit(actor.deps.db, { actorId: actor.person.id, action, details, at: actor.deps.clock.now() });
}

/** The standard message for a decision, in the applicant's own language. */
export async function standardMessage(actor: Actor, row: ApplicationRow, decision: Decision): Promise<string> {
  const { db, i18n } = actor.deps;
  const programme = await programmeOf(actor.deps);
  const person = row.personId ? await findPersonById(db, row.personId) : null;
  const locale = applicantLocale(actor, person);
  return i18n.t(locale)(defaultMessageKey(decision), { name: applicationName(row), programme: programmeName(programme, locale) });
}

/**
 * Records one decision per application, each with the standard message in the
 * applicant's own language. Nothing is sent: the decisions wait for Send.
 */
export async function decide(actor: Actor, rows: ApplicationRow[], decision: Decision): Promise<ApplicationDecision[]> {
  const items = [];
  for (const row of rows) items.push({ responseId: row.id, decision, message: await standardMessage(actor, row, decision) });
  const { created, replaced } = await recordDecisions(actor.deps.db, { items, decidedById: actor.person.id, at: actor.deps.clock.now() });
  await auditReview(actor, 'application_decide', {
    decision,
    applications: rows.map((r) => r.id),
    decisions: created.map((d) => d.id),
    ...(replaced.length > 0 ? { replaced } : {}),
  });
  return created;
}

export type Outcome =
  | { kind: 'sent' | 'blocked'; row: ApplicationRow; decision: ApplicationDecision; mentor?: Mentor }
  | { kind: 'failed' | 'withdrawn'; row: ApplicationRow | undefined; decision: ApplicationDecision }
  | { kind: 'taken'; decision: ApplicationDecision };

/**
 * Tells each applicant their decision. A decision is marked sent before its message goes
 * out, so it is never sent twice; if Telegram fails for a passing reason it waits again.
 * Someone who blocked the bot cannot be told here, but the decision stands.
 */
export async function sendDecisions(actor: Actor, decisions: ApplicationDecision[]): Promise<Outcome[]> {
  const { db } = actor.deps;
  const outcomes: Outcome[] = [];
  for (const waiting of decisions) {
    const now = actor.deps.clock.now();
    const row = await findApplication(db, waiting.responseId);
    const person = row?.personId ? await findPersonById(db, row.personId) : null;
    if (!row || row.status !== 'submitted' || !person) {
      await undoUnsent(db, [waiting.id], now);
      outcomes.push({ kind: 'withdrawn', row, decision: waiting });
      continue;
    }
    if (!(await claimForSending(db, waiting.id, now))) {
      outcomes.push({ kind: 'taken', decision: waiting });
      continue;
    }
    const decision = (await findDecision(db, waiting.id)) ?? waiting;
    const delivered = await notifyPerson(actor.deps, actor.api, person, () => decision.message);
    if (!delivered && !(await findPersonById(db, person.id))?.blockedAt) {
      await releaseClaim(db, decision.id);
      outcomes.push({ kind: 'failed', row, decision });
      continue;
    }
    const mentor =
      decision.decision === 'accepted'
        ? await recordMentor(db, { programmeId: row.programmeId, personId: person.id, applicationId: row.id, acceptedAt: now })
        : undefined;
    outcomes.push({ kind: delivered ? 'sent' : 'blocked', row, decision, mentor });
  }
  const told = outcomes.filter((o) => o.kind === 'sent' || o.kind === 'blocked');
  if (told.length > 0) {
    const kinds = [...new Set(told.map((o) => o.decision.decision))];
    await auditReview(actor, 'application_send', {
      ...(kinds.length === 1 ? { decision: kinds[0] } : {}),
      applications: told.map((o) => o.decision.responseId),
      decisions: told.map((o) => o.decision.id),
    });
  }
  return outcomes;
}

/** Undoes those not sent yet, with an audit entry; returns the ids undone. */
export async function undoDecisions(actor: Actor, waiting: ApplicationDecision[]): Promise<number[]> {
  const undone = await undoUnsent(actor.deps.db, waiting.map((d) => d.id), actor.deps.clock.now());
  await auditReview(actor, 'application_undo', { applications: [...new Set(waiting.map((d) => d.responseId))], decisions: undone });
  return undone;
}

/** What happened to each applicant, for the coordinator. */
export function sendReport(t: Translate, outcomes: Outcome[]): string {
  const sent = outcomes.filter((o) => o.kind === 'sent').length;
  const lines = [t('review.sent_report', { count: sent })];
  for (const o of outcomes) {
    if (o.kind === 'taken') continue;
    const who = { name: o.row ? applicationName(o.row) : `#${o.decision.responseId}`, id: o.decision.responseId };
    if (o.kind === 'blocked') lines.push(t('review.sent_blocked', who));
    if (o.kind === 'failed') lines.push(t('review.sent_failed', who));
    if (o.kind === 'withdrawn') lines.push(t('review.sent_withdrawn', who));
    if ((o.kind === 'sent' || o.kind === 'blocked') && o.mentor) {
      lines.push(t('review.mentor_created', { ...who, capacity: o.mentor.capacity }));
    }
  }
  return lines.join('\n');
}

/** The longest text a coordinator may write instead of the standard message (as in chat). */
export const MAX_OWN_TEXT = 2500;
