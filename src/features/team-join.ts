import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { addMember, findTeamByInviteCode, findTeamOfPerson, listMembers } from '../db/teams.js';
import { escapeHtml } from '../i18n.js';
import { isAcceptedMentor } from '../db/mentors.js';
import { notifyPerson } from '../notify.js';
import { sendTeamMenu } from './needs-analysis.js';

/**
 * Joining a mentee team by its invitation link (?start=team_<code>): the person is
 * told which team it is and confirms before they become a member.
 */
export const teamJoinFeature = new Composer<BotContext>();

const INVITE_CODE = /^[\w-]{6,32}$/;

async function teamByCode(ctx: BotContext, code: string) {
  return INVITE_CODE.test(code) ? findTeamByInviteCode(ctx.deps.db, code) : null;
}

teamJoinFeature.command('start').filter(
  (ctx) => ctx.match.startsWith('team_'),
  async (ctx) => {
    const { t, deps } = ctx;
    const code = ctx.match.slice('team_'.length);
    const team = await teamByCode(ctx, code);
    if (!team) return void (await ctx.reply(t('team_join.invalid')));
    const current = await findTeamOfPerson(deps.db, team.programmeId, ctx.person.id);
    if (current?.id === team.id) {
      await ctx.reply(t('team_join.already_member', { name: team.name }));
      return sendTeamMenu(ctx.deps, ctx.api, ctx.person, team);
    }
    if (current) return void (await ctx.reply(t('team_join.other_team', { name: current.name })));
    // A mentor of the programme is on the other side of a pair: a mentee team's link is for its own staff.
    if (await isAcceptedMentor(deps.db, team.programmeId, ctx.person.id)) return void (await ctx.reply(t('team_join.mentor', { name: team.name })));
    const place = [team.city, team.region, team.country].filter(Boolean).join(', ');
    await ctx.reply(t('team_join.confirm', { name: team.name, place }), {
      reply_markup: new InlineKeyboard().text(t('team_join.join_button'), `tj|${code}`).text(t('team_join.not_now_button'), 'tj|no'),
    });
  },
);

teamJoinFeature.callbackQuery(/^tj\|(.+)$/, async (ctx) => {
  const { t, deps } = ctx;
  const code = ctx.match[1]!;
  if (code === 'no') {
    await ctx.answerCallbackQuery();
    return void (await ctx.editMessageText(t('team_join.declined')));
  }
  // The link may have been revoked or replaced since the message was sent.
  const team = await teamByCode(ctx, code);
  if (!team) {
    await ctx.answerCallbackQuery({ text: t('team_join.invalid'), show_alert: true });
    return;
  }
  const current = await findTeamOfPerson(deps.db, team.programmeId, ctx.person.id);
  if (current && current.id !== team.id) {
    await ctx.answerCallbackQuery({ text: t('team_join.other_team', { name: current.name }), show_alert: true });
    return;
  }
  // A second tap on Join (or an old invitation pressed again): nobody is told twice.
  if (current?.id === team.id) {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(t('team_join.already_member', { name: team.name })).catch(() => undefined);
    return sendTeamMenu(deps, ctx.api, ctx.person, team);
  }
  if (await isAcceptedMentor(deps.db, team.programmeId, ctx.person.id)) {
    return void (await ctx.answerCallbackQuery({ text: t('team_join.mentor', { name: team.name }), show_alert: true }));
  }
  const others = await listMembers(deps.db, team.id);
  await addMember(deps.db, team.id, ctx.person.id, deps.clock.now());
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t('team_join.joined', { name: team.name }));
  const name = escapeHtml([ctx.person.firstName, ctx.person.lastName].filter(Boolean).join(' '));
  for (const member of others.filter((m) => m.id !== ctx.person.id)) {
    await notifyPerson(deps, ctx.api, member, (mt) => mt('team_join.member_joined', { name, interpolation: { escapeValue: false } }));
  }
  await sendTeamMenu(deps, ctx.api, ctx.person, team);
});
