import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Team } from '../db/database.js';
import { answerAuthors, deleteResponse, findOrCreateResponse, findResponse, personOwner, responsesOf, setResponseStatus, teamOwner } from '../db/form-responses.js';
import { findPeopleByIds } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { createTeam, findTeam, listMembers, listTeams, reissueInvite, revokeInvite, setReopenRequested } from '../db/teams.js';
import { teamStatus } from '../domain/team-status.js';
import { enterForm } from '../forms/engine/enter-form.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { formatAnswer } from '../forms/engine/render.js';
import { summaryMessages } from '../forms/engine/summary.js';
import { visibleQuestions } from '../forms/engine/navigation.js';
import { needsAnalysisForm } from '../forms/needs-analysis.js';
import { teamRegistrationForm } from '../forms/team-registration.js';
import { textKeys } from '../forms/types.js';
import { writeXlsx } from '../exports/workbook.js';
import { escapeHtml, type Translate } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { notifyPerson } from '../notify.js';

/**
 * Coordinators register mentees and send them invitation links (/newteam), follow
 * them (/teams, /team_<id>), and open or reopen their needs analyses.
 */
export const teamsFeature = new Composer<BotContext>();

export function inviteLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=team_${code}`;
}


teamsFeature.command('newteam', coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const draft = await findOrCreateResponse(ctx.deps.db, {
    programmeId: programme.id,
    formId: teamRegistrationForm.id,
    ownerKey: personOwner(ctx.person.id),
  });
  await ctx.reply(ctx.t('teams.new_intro'));
  await enterForm(ctx, { responseId: draft.id });
});

/** The registration form creates the team and starts afresh next time. */
export const teamRegistrationBehaviour: FormBehaviour = {
  resumeHintKey: 'teams.new_resume_hint',
  submitLabelKey: 'teams.new_submit',
  reviewTitleKey: 'teams.new_review_title',
  async submit({ deps, response, personId, locale, botUsername }) {
    const t = deps.i18n.t(locale);
    const a = response.answers;
    const text = (id: string) => (typeof a[id] === 'string' ? (a[id] as string) : null);
    const team = await createTeam(deps.db, {
      programmeId: response.programmeId,
      kind: a.kind === 'person' ? 'person' : 'municipality',
      name: text('name')!,
      country: text('country')!,
      region: text('region'),
      city: text('city'),
      population: typeof a.population === 'number' ? a.population : null,
      contactName: text('contact_name'),
      contactEmail: text('contact_email'),
      createdById: personId,
    });
    await deleteResponse(deps.db, response.id);
    await recordAudit(deps.db, { actorId: personId, action: 'team.create', details: { teamId: team.id }, at: deps.clock.now() });
    return {
      ok: true,
      messages: [
        t('teams.created', { name: team.name, id: team.id }),
        t('teams.invite_text', { link: inviteLink(botUsername, team.inviteCode!), name: team.name }),
      ],
    };
  },
};

async function teamLines(deps: AppDeps, t: Translate, teams: Awaited<ReturnType<typeof listTeams>>): Promise<string[]> {
  if (teams.length === 0) return [];
  const programme = await programmeOf(deps);
  const analyses = await responsesOf(deps.db, programme.id, needsAnalysisForm.id, teams.map((team) => teamOwner(team.id)));
  return teams.map((team) => {
    const analysis = analyses.get(teamOwner(team.id));
    const status = teamStatus({
      members: team._count.members,
      answers: analysis ? Object.keys(analysis.answers).length : 0,
      needsAnalysis: analysis?.status ?? 'none',
    });
    const reopen = team.reopenRequestedAt ? ` · ${t('teams.reopen_requested_short')}` : '';
    return `• <b>${escapeHtml(team.name)}</b> (${escapeHtml(team.country)}) — ${t(`teams.status.${status}`)}, ${t('teams.members_count', { count: team._count.members })}${reopen}\n  /team_${team.id}`;
  });
}

teamsFeature.command('teams', coordinatorOnly, async (ctx) => {
  const programme = await programmeOf(ctx.deps);
  const lines = await teamLines(ctx.deps, ctx.t, await listTeams(ctx.deps.db, programme.id));
  await ctx.reply(lines.length ? [`<b>${ctx.t('teams.list_title')}</b>`, ...lines].join('\n') : ctx.t('teams.none'));
});

async function showTeam(ctx: BotContext, team: Team): Promise<void> {
  const { t, deps } = ctx;
  const programme = await programmeOf(deps);
  const members = await listMembers(deps.db, team.id);
  const analysis = await findResponse(deps.db, { programmeId: programme.id, formId: needsAnalysisForm.id, ownerKey: teamOwner(team.id) });
  const answered = analysis ? Object.keys(analysis.answers).length : 0;
  const status = teamStatus({ members: members.length, answers: answered, needsAnalysis: analysis?.status ?? 'none' });
  const lines = [
    `<b>${escapeHtml(team.name)}</b> · ${t(`teams.kind.${team.kind}`)}`,
    [team.city, team.region, team.country].filter(Boolean).map((p) => escapeHtml(p!)).join(', '),
    team.population ? t('teams.population', { population: team.population.toLocaleString('en').replace(/,/g, ' ') }) : '',
    team.contactName ? (team.contactEmail ? t('teams.contact', { name: team.contactName, email: team.contactEmail }) : t('teams.contact_no_email', { name: team.contactName })) : '',
    t('teams.status_line', { status: t(`teams.status.${status}`) }),
    analysis ? t('teams.answers_line', { answered, total: visibleQuestions(needsAnalysisForm, analysis.answers).length }) : '',
    team.reopenRequestedAt ? `⚠️ ${t('teams.reopen_requested')}` : '',
    '',
    `<b>${t('teams.members_title')}</b>`,
    members.length ? members.map((m) => `• ${escapeHtml([m.firstName, m.lastName].filter(Boolean).join(' '))}`).join('\n') : t('teams.no_members'),
    '',
    team.inviteCode ? t('teams.invite_line', { link: inviteLink(ctx.me.username, team.inviteCode) }) : t('teams.invite_revoked'),
  ].filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
  const keyboard = new InlineKeyboard().text(t('teams.reissue_button'), `tm|reissue|${team.id}`);
  if (team.inviteCode) keyboard.text(t('teams.revoke_button'), `tm|revoke|${team.id}`);
  if (analysis?.status === 'submitted') {
    keyboard.row().text(t('teams.open_analysis_button'), `tm|needs|${team.id}`).text(t('teams.reopen_button'), `tm|reopen|${team.id}`);
  }
  await ctx.reply(lines.join('\n'), { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

teamsFeature.hears(/^\/team_(\d{1,9})(@\w+)?$/, coordinatorOnly, async (ctx) => {
  const team = await findTeam(ctx.deps.db, Number(ctx.match[1]));
  if (!team) return void (await ctx.reply(ctx.t('teams.not_found')));
  await showTeam(ctx, team);
});

teamsFeature.callbackQuery(/^tm\|(reissue|revoke|needs|reopen)\|(\d{1,9})$/, coordinatorOnly, async (ctx) => {
  const { deps, t } = ctx;
  const [, action, id] = ctx.match;
  const team = await findTeam(deps.db, Number(id));
  if (!team) return void (await ctx.answerCallbackQuery({ text: t('teams.not_found'), show_alert: true }));
  const audit = (what: string) => recordAudit(deps.db, { actorId: ctx.person.id, action: `team.${what}`, details: { teamId: team.id }, at: deps.clock.now() });
  switch (action) {
    case 'reissue': {
      const updated = await reissueInvite(deps.db, team.id);
      await audit('invite_reissue');
      await ctx.answerCallbackQuery({ text: t('teams.reissued') });
      await ctx.reply(t('teams.invite_text', { link: inviteLink(ctx.me.username, updated.inviteCode!), name: updated.name }), {
        link_preview_options: { is_disabled: true },
      });
      return;
    }
    case 'revoke':
      await revokeInvite(deps.db, team.id);
      await audit('invite_revoke');
      await ctx.answerCallbackQuery({ text: t('teams.revoked') });
      return showTeam(ctx, { ...team, inviteCode: null });
    case 'needs':
      await ctx.answerCallbackQuery();
      return sendNeedsAnalysis(ctx, team);
    case 'reopen': {
      const programme = await programmeOf(deps);
      const analysis = await findResponse(deps.db, { programmeId: programme.id, formId: needsAnalysisForm.id, ownerKey: teamOwner(team.id) });
      if (analysis?.status !== 'submitted') return void (await ctx.answerCallbackQuery({ text: t('teams.not_submitted'), show_alert: true }));
      await setResponseStatus(deps.db, analysis.id, 'draft', deps.clock.now());
      await setReopenRequested(deps.db, team.id, null);
      await audit('needs_reopen');
      await ctx.answerCallbackQuery({ text: t('teams.reopened') });
      for (const member of await listMembers(deps.db, team.id)) {
        await notifyPerson(deps, ctx.api, member, (mt) => mt('teams.reopened_notice'));
      }
      return;
    }
  }
});

/** A submitted needs analysis as messages and as a workbook (who answered what, and when). */
async function sendNeedsAnalysis(ctx: BotContext, team: Team): Promise<void> {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const analysis = await findResponse(deps.db, { programmeId: programme.id, formId: needsAnalysisForm.id, ownerKey: teamOwner(team.id) });
  if (!analysis) return void (await ctx.reply(t('teams.not_submitted')));
  const header = `<b>${t('teams.analysis_title', { name: team.name })}</b>`;
  for (const text of summaryMessages(needsAnalysisForm, analysis.answers, t, header)) await ctx.reply(text);

  const authors = await answerAuthors(deps.db, analysis.id);
  const people = await findPeopleByIds(deps.db, authors.map((a) => a.answeredById));
  const nameOf = (id: number) => {
    const p = people.find((x) => x.id === id);
    return p ? [p.firstName, p.lastName].filter(Boolean).join(' ') : '';
  };
  const rows = needsAnalysisForm.sections.flatMap((section) =>
    visibleQuestions(needsAnalysisForm, analysis.answers, section.id).map((question) => {
      const value = analysis.answers[question.id];
      const author = authors.find((a) => a.questionId === question.id);
      return {
        section: t(textKeys.section(needsAnalysisForm.id, section.id)),
        question: t(textKeys.question(needsAnalysisForm.id, question.id)),
        answer: value === undefined ? '' : plainText(formatAnswer(needsAnalysisForm, question, value, t)),
        by: author ? nameOf(author.answeredById) : '',
        at: author?.answeredAt ?? null,
      };
    }),
  );
  const file = path.join(tmpdir(), `needs-analysis-${team.id}-${Date.now()}.xlsx`);
  try {
    await writeXlsx(
      [
        {
          name: t('teams.analysis_sheet'),
          columns: [
            { header: t('teams.column_section'), value: (r: (typeof rows)[number]) => r.section, width: 24 },
            { header: t('teams.column_question'), value: (r: (typeof rows)[number]) => r.question, width: 60 },
            { header: t('teams.column_answer'), value: (r: (typeof rows)[number]) => r.answer, width: 80 },
            { header: t('teams.column_by'), value: (r: (typeof rows)[number]) => r.by, width: 24 },
            { header: t('teams.column_at'), value: (r: (typeof rows)[number]) => r.at, kind: 'datetime', width: 18 },
          ],
          rows,
        },
      ],
      { timeZone: programme.timeZone, output: file },
    );
    await ctx.replyWithDocument(new InputFile(file, `needs-analysis-${slug(team.name)}.xlsx`), {
      caption: t('teams.analysis_document', { name: team.name }),
    });
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

/** Answers are formatted as HTML for messages; a spreadsheet wants plain text. */
function plainText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function slug(name: string): string {
  return name.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'team';
}
