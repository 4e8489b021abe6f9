import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { BotContext } from '../context.js';
import {
  type ActionPlan,
  type ActionPlanRow,
  type ActionPlanVersion,
  type Draft,
  dropDraftsOf,
  editedRowId,
  FIELD_MAX_LENGTH,
  fillDraft,
  findDraftOf,
  findRow,
  findVersion,
  finishDraft,
  latestVersion,
  listRows,
  listVersions,
  nextDraftField,
  parseSnapshot,
  PLAN_FIELDS,
  type PlanField,
  planOfPair,
  type RowStatus,
  saveVersion,
  setRowStatus,
  SKIPPED,
  type SnapshotRow,
  snapshotOf,
  startEditDraft,
  startNewRowDraft,
  deleteRow,
} from '../db/action-plans.js';
import type { Programme } from '../db/database.js';
import { findPair, type Pair } from '../db/pairs.js';
import { findPersonById } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import { pairParties, type PairParties, pairsOfPerson, personName, roleInPair } from '../db/report-data.js';
import { formatLocalDate } from '../domain/time-zone.js';
import { writeXlsx } from '../exports/workbook.js';
import { leaveForm } from '../forms/engine/leave-form.js';
import { escapeHtml, type Translate } from '../i18n.js';
import { programmeName } from '../domain/programme-name.js';

/**
 * The pair's action plan (handbook Annex 6), kept together by the mentor and the
 * mentee team: /plan shows it with its header, rows are added in a short dialogue
 * (one question per field, each answer stored at once), changed field by field,
 * moved through planned → in progress → done, saved as numbered versions and
 * downloaded as a spreadsheet.
 *
 * Buttons: ap|o|<pair> open, ap|add|<pair>, ap|r|<row> a row, ap|st|<row>|<p|i|d>,
 * ap|ef|<row>|<field 0-5>, ap|dl|<row> and ap|dly|<row> delete, ap|sv|<pair> save a
 * version, ap|v|<pair> versions, ap|x|<pair> and ap|xv|<version> download,
 * ap|sk|<draft>|<field> skip a field, ap|cx|<draft> stop writing.
 */
export const actionPlanFeature = new Composer<BotContext>();

const STATUS_CODES: Record<string, RowStatus> = { p: 'planned', i: 'in_progress', d: 'done' };
const STATUS_EMOJI: Record<RowStatus, string> = { planned: '🗓', in_progress: '🔄', done: '✅' };
const MESSAGE_LIMIT = 3800;


// ---------------------------------------------------------------------------
// Who may see and change a plan

interface PlanAccess {
  programme: Programme;
  pair: Pair;
  parties: PairParties;
  plan: ActionPlan;
}

/** The plan of an active pair the person belongs to; undefined for anyone else (forged or old buttons included). */
async function access(ctx: BotContext, pairId: number): Promise<PlanAccess | undefined> {
  const { db } = ctx.deps;
  const pair = await findPair(db, pairId);
  if (!pair || pair.status !== 'active') return undefined;
  const programme = await programmeOf(ctx.deps);
  if (pair.programmeId !== programme.id || !(await roleInPair(db, pair, ctx.person.id))) return undefined;
  const parties = (await pairParties(db, [pair])).get(pair.id);
  if (!parties) return undefined;
  return { programme, pair, parties, plan: await planOfPair(db, pair.id) };
}

async function refuse(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('action_plan.not_yours'), show_alert: true });
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
}

/** After a button: replaces the message the button was on when it can, else says it anew. */
async function respond(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const extra = keyboard ? { reply_markup: keyboard } : {};
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch (error) {
      // Pressing a button that changes nothing leaves the message as it is.
      if (String(error).includes('message is not modified')) return;
      // Too old to edit: say it anew.
    }
  }
  await ctx.reply(text, extra);
}

/** Button texts are plain text, short enough to read on a phone. */
function buttonText(text: string, max = 40): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

const raw = { interpolation: { escapeValue: false } };

/** Long answers are shortened on screen (the spreadsheet has them whole), so that a message stays within Telegram's limit. */
const LIST_FIELD_CHARS = 400;
const CARD_FIELD_CHARS = 550;
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : text;
}

// ---------------------------------------------------------------------------
// The header (Annex 6: scheme, mentee city, mentor city, date / version)

function menteeCity(parties: PairParties): string {
  const { team } = parties;
  const place = [team.city, team.region, team.country].filter((p): p is string => !!p && p.trim() !== '' && p !== team.name);
  return place.length > 0 ? `${team.name} (${place.join(', ')})` : team.name;
}

function mentorCity(parties: PairParties, t: Translate): string {
  const { mentor } = parties;
  const place = [mentor.city, mentor.country].filter((p): p is string => !!p);
  return place.length > 0 ? `${place.join(', ')} — ${mentor.name}` : `${t('action_plan.unknown_city')} — ${mentor.name}`;
}

/** "05.03.2026, version 2" — or a draft, when the rows differ from the latest saved version. */
function dateVersion(t: Translate, rows: readonly ActionPlanRow[], latest: ActionPlanVersion | null, today: string, zone: string): string {
  if (!latest) return t('action_plan.version_draft', { date: today });
  const saved = formatLocalDate(latest.createdAt, zone);
  if (latest.snapshot === JSON.stringify(snapshotOf(rows))) return t('action_plan.version_saved', { date: saved, version: latest.version });
  return t('action_plan.version_changed', { date: today, version: latest.version, saved });
}

function headerLines(t: Translate, locale: string, access: PlanAccess, version: string): string[] {
  return [
    `📋 <b>${t('action_plan.title')}</b>`,
    t('action_plan.header.scheme', { value: programmeName(access.programme, locale) }),
    t('action_plan.header.mentee', { value: menteeCity(access.parties) }),
    t('action_plan.header.mentor', { value: mentorCity(access.parties, t) }),
    t('action_plan.header.version', { value: version, ...raw }),
  ];
}

function fieldLabel(t: Translate, field: PlanField): string {
  return t(`action_plan.fields.${field}`);
}

function statusLabel(t: Translate, status: string): string {
  return t(`action_plan.statuses.${status}`);
}

function rowLines(t: Translate, row: Pick<ActionPlanRow, PlanField | 'status'>, number: number): string[] {
  const emoji = STATUS_EMOJI[row.status as RowStatus] ?? '🗓';
  const lines = [`${number}. ${emoji} <b>${escapeHtml(clip(row.action, LIST_FIELD_CHARS))}</b> — <i>${statusLabel(t, row.status)}</i>`];
  for (const field of PLAN_FIELDS.slice(1)) lines.push(`   ${fieldLabel(t, field)}: ${escapeHtml(clip(row[field], LIST_FIELD_CHARS))}`);
  return lines;
}

/** Messages of at most MESSAGE_LIMIT characters, split between blocks. */
function pack(blocks: readonly string[]): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks) {
    if (current !== '' && current.length + block.length + 2 > MESSAGE_LIMIT) {
      messages.push(current);
      current = block;
    } else {
      current = current === '' ? block : `${current}\n\n${block}`;
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}

// ---------------------------------------------------------------------------
// Showing the plan

async function showPlan(ctx: BotContext, access: PlanAccess, options: { fresh?: boolean } = {}): Promise<void> {
  const { t } = ctx;
  const { db, clock } = ctx.deps;
  const zone = access.programme.timeZone;
  const [rows, latest] = await Promise.all([listRows(db, access.plan.id), latestVersion(db, access.plan.id)]);
  const today = formatLocalDate(clock.now(), zone);
  const blocks = [headerLines(t, ctx.locale, access, dateVersion(t, rows, latest, today, zone)).join('\n')];
  if (rows.length === 0) blocks.push(t('action_plan.empty'));
  rows.forEach((row, index) => blocks.push(rowLines(t, row, index + 1).join('\n')));

  const pairId = access.pair.id;
  const keyboard = new InlineKeyboard();
  rows.forEach((row, index) => keyboard.text(buttonText(`${index + 1}. ${row.action}`), `ap|r|${row.id}`).row());
  keyboard.text(t('action_plan.buttons.add'), `ap|add|${pairId}`).row();
  if (rows.length > 0) keyboard.text(t('action_plan.buttons.save_version'), `ap|sv|${pairId}`).text(t('action_plan.buttons.download'), `ap|x|${pairId}`).row();
  if (latest) keyboard.text(t('action_plan.buttons.versions'), `ap|v|${pairId}`).row();

  const messages = pack(blocks);
  if (messages.length === 1 && !options.fresh) return respond(ctx, messages[0]!, keyboard);
  for (const [i, text] of messages.entries()) {
    await ctx.reply(text, i === messages.length - 1 ? { reply_markup: keyboard } : {});
  }
}

async function showRow(ctx: BotContext, access: PlanAccess, rowId: number, options: { fresh?: boolean } = {}): Promise<void> {
  const { t } = ctx;
  const rows = await listRows(ctx.deps.db, access.plan.id);
  const index = rows.findIndex((r) => r.id === rowId);
  const row = rows[index];
  if (!row) return showPlan(ctx, access, options);
  const lines = [
    t('action_plan.row_title', { number: index + 1, total: rows.length }),
    '',
    ...PLAN_FIELDS.map((field) => `<b>${fieldLabel(t, field)}</b>: ${escapeHtml(clip(row[field], CARD_FIELD_CHARS))}`),
    '',
    t('action_plan.status_line', { status: `${STATUS_EMOJI[row.status as RowStatus] ?? ''} ${statusLabel(t, row.status)}`.trim(), ...raw }),
  ];
  const keyboard = new InlineKeyboard();
  for (const [code, status] of Object.entries(STATUS_CODES)) {
    const label = statusLabel(t, status);
    keyboard.text(row.status === status ? `• ${label}` : label, `ap|st|${row.id}|${code}`);
  }
  keyboard.row();
  PLAN_FIELDS.forEach((field, i) => {
    keyboard.text(`✏️ ${fieldLabel(t, field)}`, `ap|ef|${row.id}|${i}`);
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.text(t('action_plan.buttons.delete'), `ap|dl|${row.id}`).row();
  keyboard.text(t('action_plan.buttons.back'), `ap|o|${access.pair.id}`);
  const text = lines.join('\n');
  if (options.fresh) return void (await ctx.reply(text, { reply_markup: keyboard }));
  await respond(ctx, text, keyboard);
}

actionPlanFeature.command('plan', async (ctx) => {
  const { t } = ctx;
  const { db } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const pairs = await pairsOfPerson(db, programme.id, ctx.person.id);
  if (pairs.length === 0) return void (await ctx.reply(t('action_plan.no_pair')));
  if (pairs.length === 1) {
    const found = await access(ctx, pairs[0]!.id);
    if (!found) return void (await ctx.reply(t('action_plan.no_pair')));
    await showPlan(ctx, found, { fresh: true });
  } else {
    const parties = await pairParties(db, pairs);
    const keyboard = new InlineKeyboard();
    for (const pair of pairs) {
      const p = parties.get(pair.id);
      if (!p) continue;
      const label = p.mentor.personId === ctx.person.id ? p.team.name : p.mentor.name;
      keyboard.text(buttonText(t('action_plan.pair_button', { name: label, ...raw })), `ap|o|${pair.id}`).row();
    }
    await ctx.reply(t('action_plan.choose_pair'), { reply_markup: keyboard });
  }
  // Someone who left a row half-written is reminded where they were.
  const draft = await findDraftOf(db, ctx.person.id);
  if (draft) await askNext(ctx, draft, { reminder: true });
});

actionPlanFeature.callbackQuery(/^ap\|o\|(\d{1,9})$/, async (ctx) => {
  const found = await access(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  await ctx.answerCallbackQuery();
  await showPlan(ctx, found);
});

/** A row of a plan the person may change; undefined otherwise. */
async function rowAccess(ctx: BotContext, rowId: number): Promise<{ access: PlanAccess; row: ActionPlanRow } | undefined> {
  const row = await findRow(ctx.deps.db, rowId);
  if (!row) return undefined;
  const found = await access(ctx, row.plan.pairId);
  return found ? { access: found, row } : undefined;
}

actionPlanFeature.callbackQuery(/^ap\|r\|(\d{1,9})$/, async (ctx) => {
  const found = await rowAccess(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  await ctx.answerCallbackQuery();
  await showRow(ctx, found.access, found.row.id);
});

actionPlanFeature.callbackQuery(/^ap\|st\|(\d{1,9})\|([pid])$/, async (ctx) => {
  const found = await rowAccess(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  const status = STATUS_CODES[ctx.match[2]!]!;
  await setRowStatus(ctx.deps.db, found.row.id, status, ctx.person.id);
  await ctx.answerCallbackQuery({ text: ctx.t('action_plan.status_changed', { status: statusLabel(ctx.t, status) }) });
  await showRow(ctx, found.access, found.row.id);
});

actionPlanFeature.callbackQuery(/^ap\|dl\|(\d{1,9})$/, async (ctx) => {
  const found = await rowAccess(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  const rows = await listRows(ctx.deps.db, found.access.plan.id);
  const number = rows.findIndex((r) => r.id === found.row.id) + 1;
  await ctx.answerCallbackQuery();
  const keyboard = new InlineKeyboard()
    .text(ctx.t('action_plan.buttons.delete_yes'), `ap|dly|${found.row.id}`)
    .text(ctx.t('action_plan.buttons.delete_no'), `ap|r|${found.row.id}`);
  await respond(ctx, ctx.t('action_plan.delete_confirm', { number, action: buttonText(found.row.action, 200) }), keyboard);
});

actionPlanFeature.callbackQuery(/^ap\|dly\|(\d{1,9})$/, async (ctx) => {
  const found = await rowAccess(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  await deleteRow(ctx.deps.db, found.row.id);
  await ctx.answerCallbackQuery({ text: ctx.t('action_plan.deleted') });
  await showPlan(ctx, found.access);
});

// ---------------------------------------------------------------------------
// Writing a row: one field at a time, each answer stored at once

async function askNext(ctx: BotContext, draft: Draft, options: { reminder?: boolean } = {}): Promise<void> {
  const { t } = ctx;
  const field = nextDraftField(draft);
  if (!field) return;
  const index = PLAN_FIELDS.indexOf(field);
  const keyboard = new InlineKeyboard();
  const lines: string[] = [];
  if (options.reminder) lines.push(t('action_plan.pending_reminder'), '');
  const edited = editedRowId(draft);
  if (edited !== undefined) {
    const row = await findRow(ctx.deps.db, edited);
    const rows = row ? await listRows(ctx.deps.db, row.planId) : [];
    const number = rows.findIndex((r) => r.id === edited) + 1;
    lines.push(
      t('action_plan.edit_prompt', { field: fieldLabel(t, field), number, ...raw }),
      // Whole, so that it can be copied and changed (a field is at most FIELD_MAX_LENGTH, well within one message).
      t('action_plan.edit_current', { value: row ? row[field] : '' }),
      '',
      t(`action_plan.questions.${field}`),
    );
  } else {
    lines.push(
      t('action_plan.new_step', { step: index + 1, total: PLAN_FIELDS.length }),
      '',
      `<b>${fieldLabel(t, field)}</b>: ${t(`action_plan.questions.${field}`)}`,
    );
    if (index > 0) keyboard.text(t('action_plan.buttons.skip'), `ap|sk|${draft.id}|${index}`);
  }
  keyboard.text(t('action_plan.buttons.cancel'), `ap|cx|${draft.id}`);
  await ctx.reply(lines.join('\n'), { reply_markup: keyboard });
}

actionPlanFeature.callbackQuery(/^ap\|add\|(\d{1,9})$/, async (ctx) => {
  const found = await access(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  await ctx.answerCallbackQuery();
  // Questions of this feature take the person's next messages: a form they were in is left (its answers stay).
  await leaveForm(ctx);
  const draft = await startNewRowDraft(ctx.deps.db, found.plan.id, ctx.person.id);
  await askNext(ctx, draft);
});

actionPlanFeature.callbackQuery(/^ap\|ef\|(\d{1,9})\|([0-5])$/, async (ctx) => {
  const found = await rowAccess(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  await ctx.answerCallbackQuery();
  await leaveForm(ctx);
  const draft = await startEditDraft(ctx.deps.db, found.row, PLAN_FIELDS[Number(ctx.match[2])]!, ctx.person.id);
  await askNext(ctx, draft);
});

/** The person's draft, if it is the one the button was made for and still belongs to a plan they may change. */
async function currentDraft(ctx: BotContext, draftId: number): Promise<{ draft: Draft; access: PlanAccess } | undefined> {
  const draft = await findDraftOf(ctx.deps.db, ctx.person.id);
  if (!draft || draft.id !== draftId) return undefined;
  const found = await access(ctx, draft.plan.pairId);
  return found ? { draft, access: found } : undefined;
}

actionPlanFeature.callbackQuery(/^ap\|sk\|(\d{1,9})\|([1-5])$/, async (ctx) => {
  const current = await currentDraft(ctx, Number(ctx.match[1]));
  const field = PLAN_FIELDS[Number(ctx.match[2])]!;
  if (!current || editedRowId(current.draft) !== undefined || nextDraftField(current.draft) !== field) return stale(ctx);
  await ctx.answerCallbackQuery();
  await answer(ctx, current, field, SKIPPED);
});

actionPlanFeature.callbackQuery(/^ap\|cx\|(\d{1,9})$/, async (ctx) => {
  const draft = await findDraftOf(ctx.deps.db, ctx.person.id);
  if (!draft || draft.id !== Number(ctx.match[1])) return stale(ctx);
  await dropDraftsOf(ctx.deps.db, ctx.person.id);
  await ctx.answerCallbackQuery();
  await respond(ctx, ctx.t(editedRowId(draft) !== undefined ? 'action_plan.cancelled_edit' : 'action_plan.cancelled_new'));
});

/** Stores the answer to the field asked, then asks the next one or finishes the row. */
async function answer(ctx: BotContext, current: { draft: Draft; access: PlanAccess }, field: PlanField, value: string): Promise<void> {
  const { db } = ctx.deps;
  const { t } = ctx;
  if (!(await fillDraft(db, current.draft.id, field, value))) return;
  const draft = await findDraftOf(db, ctx.person.id);
  if (!draft) return;
  if (nextDraftField(draft)) return askNext(ctx, draft);
  const done = await finishDraft(db, draft.id, editedRowId(draft) !== undefined ? field : undefined);
  if (done.kind === 'gone') return void (await ctx.reply(t('action_plan.gone')));
  if (done.kind === 'added') {
    await ctx.reply(t('action_plan.added', { number: done.number }));
    return showPlan(ctx, current.access, { fresh: true });
  }
  await ctx.reply(t('action_plan.changed', { field: fieldLabel(t, done.field), ...raw }));
  await showRow(ctx, current.access, done.row.id, { fresh: true });
}

// Someone writing a row: their next message is the answer (commands pass on).
actionPlanFeature.on('message', async (ctx, next) => {
  if (ctx.message.text?.startsWith('/')) return next();
  const { db } = ctx.deps;
  const draft = await findDraftOf(db, ctx.person.id);
  if (!draft) return next();
  const field = nextDraftField(draft);
  const found = field ? await access(ctx, draft.plan.pairId) : undefined;
  if (!field || !found) {
    // The pair ended or the person left it meanwhile.
    await dropDraftsOf(db, ctx.person.id);
    return void (await ctx.reply(ctx.t('action_plan.no_longer')));
  }
  const text = ctx.message.text?.trim();
  if (!text) return void (await ctx.reply(ctx.t('action_plan.text_only')));
  if (text.length > FIELD_MAX_LENGTH) return void (await ctx.reply(ctx.t('action_plan.too_long', { max: FIELD_MAX_LENGTH, length: text.length })));
  await answer(ctx, { draft, access: found }, field, text);
});

// ---------------------------------------------------------------------------
// Versions and the document

actionPlanFeature.callbackQuery(/^ap\|sv\|(\d{1,9})$/, async (ctx) => {
  const found = await access(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  const { t } = ctx;
  const saved = await saveVersion(ctx.deps.db, found.plan.id, ctx.person.id, ctx.deps.clock.now());
  if (!saved.ok) {
    const text = saved.reason === 'empty' ? t('action_plan.save_empty') : t('action_plan.save_unchanged', { version: saved.version });
    return void (await ctx.answerCallbackQuery({ text, show_alert: true }));
  }
  await ctx.answerCallbackQuery();
  await ctx.reply(
    t('action_plan.version_saved_notice', { version: saved.version.version, date: formatLocalDate(saved.version.createdAt, found.programme.timeZone) }),
  );
  await showPlan(ctx, found, { fresh: true });
});

actionPlanFeature.callbackQuery(/^ap\|v\|(\d{1,9})$/, async (ctx) => {
  const found = await access(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  const { t } = ctx;
  const versions = await listVersions(ctx.deps.db, found.plan.id);
  await ctx.answerCallbackQuery();
  const lines = [`📜 <b>${t('action_plan.versions_title')}</b>`];
  const keyboard = new InlineKeyboard();
  if (versions.length === 0) lines.push(t('action_plan.no_versions'));
  for (const version of versions.slice(-20)) {
    const author = await findPersonById(ctx.deps.db, version.createdById);
    lines.push(
      t('action_plan.version_line', {
        version: version.version,
        date: formatLocalDate(version.createdAt, found.programme.timeZone),
        name: author ? personName(author) : '—',
        rows: parseSnapshot(version.snapshot).length,
      }),
    );
    keyboard.text(t('action_plan.buttons.download_version', { version: version.version }), `ap|xv|${version.id}`).row();
  }
  keyboard.text(t('action_plan.buttons.back'), `ap|o|${found.pair.id}`);
  await respond(ctx, lines.join('\n'), keyboard);
});

actionPlanFeature.callbackQuery(/^ap\|x\|(\d{1,9})$/, async (ctx) => {
  const found = await access(ctx, Number(ctx.match[1]));
  if (!found) return refuse(ctx);
  const { t } = ctx;
  const zone = found.programme.timeZone;
  const [rows, latest] = await Promise.all([listRows(ctx.deps.db, found.plan.id), latestVersion(ctx.deps.db, found.plan.id)]);
  if (rows.length === 0) return void (await ctx.answerCallbackQuery({ text: t('action_plan.save_empty'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const snapshot = snapshotOf(rows);
  const unchanged = latest !== null && latest.snapshot === JSON.stringify(snapshot);
  const date = formatLocalDate(unchanged ? latest.createdAt : ctx.deps.clock.now(), zone);
  const version = !latest
    ? t('action_plan.xlsx.version_draft')
    : unchanged
      ? String(latest.version)
      : t('action_plan.xlsx.version_after', { version: latest.version });
  const name = unchanged ? `action-plan-${found.pair.id}-v${latest.version}.xlsx` : `action-plan-${found.pair.id}.xlsx`;
  await sendPlanDocument(ctx, found, snapshot, { date, version, fileName: name });
});

actionPlanFeature.callbackQuery(/^ap\|xv\|(\d{1,9})$/, async (ctx) => {
  const version = await findVersion(ctx.deps.db, Number(ctx.match[1]));
  const found = version ? await access(ctx, version.plan.pairId) : undefined;
  if (!version || !found) return refuse(ctx);
  await ctx.answerCallbackQuery();
  await sendPlanDocument(ctx, found, parseSnapshot(version.snapshot), {
    date: formatLocalDate(version.createdAt, found.programme.timeZone),
    version: String(version.version),
    fileName: `action-plan-${found.pair.id}-v${version.version}.xlsx`,
  });
});

interface PlanDocument {
  date: string;
  version: string;
  fileName: string;
}

/** The plan as a spreadsheet: the Annex 6 header on the first sheet, the rows on the second. */
export async function writePlanXlsx(
  t: Translate,
  header: { scheme: string; mentee: string; mentor: string; date: string; version: string },
  rows: readonly SnapshotRow[],
  options: { output: string; timeZone: string },
): Promise<void> {
  const about = [
    [t('action_plan.xlsx.scheme'), header.scheme],
    [t('action_plan.xlsx.mentee'), header.mentee],
    [t('action_plan.xlsx.mentor'), header.mentor],
    [t('action_plan.xlsx.date'), header.date],
    [t('action_plan.xlsx.version'), header.version],
  ] as const;
  await writeXlsx(
    [
      {
        name: t('action_plan.xlsx.sheet_about'),
        columns: [
          { header: t('action_plan.xlsx.field'), value: (r: readonly [string, string]) => r[0], width: 24 },
          { header: t('action_plan.xlsx.value'), value: (r: readonly [string, string]) => r[1], width: 60 },
        ],
        rows: about,
      },
      {
        name: t('action_plan.xlsx.sheet_rows'),
        columns: [
          { header: t('action_plan.xlsx.number'), value: (r: SnapshotRow) => r.number, kind: 'number', width: 6 },
          ...PLAN_FIELDS.map((field) => ({ header: plain(t(`action_plan.fields.${field}`)), value: (r: SnapshotRow) => r[field], width: 36 })),
          { header: t('action_plan.xlsx.status'), value: (r: SnapshotRow) => plain(t(`action_plan.statuses.${r.status}`)), width: 14 },
        ],
        rows,
      },
    ],
    { output: options.output, timeZone: options.timeZone },
  );
}

/** Texts from the locale files are HTML; a spreadsheet wants them plain. */
function plain(text: string): string {
  return text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

async function sendPlanDocument(ctx: BotContext, found: PlanAccess, rows: readonly SnapshotRow[], doc: PlanDocument): Promise<void> {
  const { t } = ctx;
  const dir = await mkdtemp(path.join(tmpdir(), 'citymentor-plan-'));
  const output = path.join(dir, doc.fileName);
  try {
    await writePlanXlsx(
      t,
      {
        scheme: programmeName(found.programme, ctx.locale),
        mentee: menteeCity(found.parties),
        mentor: mentorCity(found.parties, t),
        date: doc.date,
        version: plain(doc.version),
      },
      rows,
      { output, timeZone: found.programme.timeZone },
    );
    await ctx.replyWithDocument(new InputFile(output, doc.fileName), {
      caption: t('action_plan.download_caption', { team: found.parties.team.name, version: plain(doc.version), date: doc.date }),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Anything else under ap| is an old or forged button.
actionPlanFeature.callbackQuery(/^ap\|/, stale);
