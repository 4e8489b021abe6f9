import { Composer } from 'grammy';
import { publishChatMenu } from '../command-menus.js';
import type { BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Person } from '../db/database.js';
import { findPerson, listPeopleWithRole, setRole } from '../db/people.js';
import { escapeHtml } from '../i18n.js';
import { isLocale } from '../locales.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';

/** Coordinators give and take the coordinator role: /coordinators, /grant <id>, /revoke <id>. */
export const coordinatorRolesFeature = new Composer<BotContext>();

function displayName(person: Pick<Person, 'firstName' | 'lastName' | 'username'>): string {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  return person.username ? `${name} (@${person.username})` : name;
}


coordinatorRolesFeature.command('coordinators', coordinatorOnly, async (ctx) => {
  const { db, config } = ctx.deps;
  const granted = await listPeopleWithRole(db, 'coordinator');
  const lines: string[] = [];
  for (const id of config.adminIds) {
    const person = await findPerson(db, id);
    lines.push(`• ${person ? escapeHtml(displayName(person)) : ''} <code>${id}</code> ${ctx.t('coordinators.from_config')}`);
  }
  for (const person of granted.filter((p) => !config.adminIds.has(p.telegramId))) {
    lines.push(`• ${escapeHtml(displayName(person))} <code>${person.telegramId}</code>`);
  }
  const body = lines.length > 0 ? lines.join('\n') : ctx.t('coordinators.none');
  await ctx.reply(`<b>${ctx.t('coordinators.list_title')}</b>\n${body}`);
});

async function targetOf(ctx: BotContext & { match: string }, usageKey: string): Promise<Person | undefined> {
  const id = ctx.match.trim();
  if (!/^\d{1,20}$/.test(id)) {
    await ctx.reply(ctx.t(usageKey));
    return undefined;
  }
  const person = await findPerson(ctx.deps.db, BigInt(id));
  if (!person) await ctx.reply(ctx.t('coordinators.unknown_person', { id }));
  return person ?? undefined;
}

coordinatorRolesFeature.command('grant', coordinatorOnly, async (ctx) => {
  const target = await targetOf(ctx, 'coordinators.usage_grant');
  if (!target) return;
  const updated = await setRole(ctx.deps.db, target.telegramId, 'coordinator');
  await recordAudit(ctx.deps.db, { actorId: ctx.person.id, action: 'coordinator_grant', details: { personId: updated.id }, at: ctx.deps.clock.now() });
  await ctx.reply(ctx.t('coordinators.granted', { name: displayName(updated) }));
  const locale = isLocale(updated.language) ? updated.language : ctx.deps.config.defaultLocale;
  await publishChatMenu(ctx.api, ctx.deps.i18n, ctx.deps.logger, { telegramId: updated.telegramId, locale, coordinator: true, publicUrl: ctx.deps.config.publicUrl });
  await ctx.api
    .sendMessage(Number(updated.telegramId), ctx.deps.i18n.t(locale)('coordinators.granted_notice'))
    .catch((error) => ctx.deps.logger.warn({ userId: String(updated.telegramId), error: String(error) }, 'grant notice not delivered'));
});

coordinatorRolesFeature.command('revoke', coordinatorOnly, async (ctx) => {
  const target = await targetOf(ctx, 'coordinators.usage_revoke');
  if (!target) return;
  const name = displayName(target);
  if (ctx.deps.config.adminIds.has(target.telegramId)) {
    await ctx.reply(ctx.t('coordinators.revoke_config', { name }));
    return;
  }
  if (target.role !== 'coordinator') {
    await ctx.reply(ctx.t('coordinators.not_coordinator', { name }));
    return;
  }
  await setRole(ctx.deps.db, target.telegramId, 'member');
  await recordAudit(ctx.deps.db, { actorId: ctx.person.id, action: 'coordinator_revoke', details: { personId: target.id }, at: ctx.deps.clock.now() });
  await ctx.reply(ctx.t('coordinators.revoked', { name }));
  const locale = isLocale(target.language) ? target.language : ctx.deps.config.defaultLocale;
  await publishChatMenu(ctx.api, ctx.deps.i18n, ctx.deps.logger, { telegramId: target.telegramId, locale, coordinator: false, publicUrl: ctx.deps.config.publicUrl, resetMenuButton: true });
});
