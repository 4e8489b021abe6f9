import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readLocale } from '../src/i18n.js';
import { PLAYGROUND_PEOPLE } from '../src/playground/people.js';
import { type Playground, startPlayground } from '../src/playground/playground.js';
import { buildPage } from '../scripts/build.mjs';
import { type Browser, chromiumPath, launchBrowser } from './support/browser.js';
import { tempDir } from './support/test-bot.js';

if (!chromiumPath) console.warn('NOTICE: no Chromium found (/usr/bin/chromium or CHROMIUM_PATH): the playground browser tests are skipped.');

const you = PLAYGROUND_PEOPLE.find((p) => p.role === 'coordinator')!;
const sarah = PLAYGROUND_PEOPLE.find((p) => p.first_name === 'Sarah')!;

/** The playground on a database of its own and a free port, with Chromium looking at it. */
async function open(): Promise<{ playground: Playground; browser: Browser; page: Page }> {
  buildPage();
  const playground = await startPlayground({ databaseFile: path.join(tempDir(), 'playground.db'), port: 0 });
  onTestFinished(() => playground.stop());
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(playground.url.replace('localhost', '127.0.0.1'));
  return { playground, browser, page };
}

/**
 * Does something on the page as the person shown, then waits until the bot has
 * answered and the page shows the chat exactly as the Bot API server holds it.
 */
async function act(playground: Playground, page: Page, personId: number, action: () => Promise<unknown>): Promise<void> {
  const { api } = playground;
  const before = api.lastSeq;
  await action();
  const concerns = (c: { seq: number; method: string; payload: Record<string, unknown> }) =>
    c.seq > before && c.method !== 'getUpdates' && (Number(c.payload.chat_id) === personId || c.method === 'answerCallbackQuery');
  await api.waitFor(() => api.calls.some(concerns), 10_000);
  await api.settle(150, (c) => c.method !== 'getUpdates' && c.seq > before);
  await expect.poll(() => page.locator('#messages .msg-wrap').count()).toBe(api.chat(personId).length);
}

async function as(page: Page, personId: number): Promise<void> {
  await page.locator(`.person[data-person-id="${personId}"]`).click();
  await expect.poll(() => page.locator('#playground').getAttribute('data-person')).toBe(String(personId));
}

function say(playground: Playground, page: Page, personId: number, text: string): Promise<void> {
  return act(playground, page, personId, async () => {
    await page.locator('#text').fill(text);
    await page.locator('#text').press('Enter');
  });
}

/** Presses the button with this callback data on the newest message that has it. */
function press(playground: Playground, page: Page, personId: number, data: string): Promise<void> {
  return act(playground, page, personId, () => page.locator(`#messages button.kb[data-data="${data}"]`).last().click());
}

const lastBotText = (page: Page) => page.locator('#messages .msg-wrap.bot').last().locator('.text').innerText();

/** A deadline a year ahead, as the coordinator types it (dd.mm.yyyy hh:mm). */
function nextYearDeadline(): string {
  return `30.11.${new Date().getUTCFullYear() + 1} 23:59`;
}

describe.skipIf(!chromiumPath)('the playground (in Chromium)', () => {
  it('shows a chat with the bot: the welcome, the command menu per role and language, and says nothing leaves the computer', async () => {
    const { playground, page } = await open();
    await expect.poll(() => page.locator('.banner').innerText()).toMatch(/Nothing is sent to Telegram or anywhere else/);
    expect(await page.locator('.person').count()).toBe(PLAYGROUND_PEOPLE.length);

    await act(playground, page, you.id, () => page.locator('button.start').click());
    expect(await page.locator('#messages .msg-wrap.user').first().innerText()).toContain('/start');
    expect(await page.locator('#messages').innerText()).toContain('Hello, You!');

    // The coordinator's menu has the coordinator's commands, as the bot published them for this chat.
    await page.locator('#menu-button').click();
    await expect.poll(() => page.locator('#menu .command-item[data-command="applications"]').count()).toBe(1);
    await act(playground, page, you.id, () => page.locator('#menu .command-item[data-command="help"]').click());
    expect(await page.locator('#messages .msg-wrap.user').last().innerText()).toContain('/help');

    // A mentor in Polish sees the Polish menu without coordinator commands.
    const piotr = PLAYGROUND_PEOPLE.find((p) => p.language_code === 'pl' && p.role === 'mentor')!;
    await as(page, piotr.id);
    await act(playground, page, piotr.id, () => page.locator('button.start').click());
    expect(await page.locator('#messages .msg-wrap.bot').first().innerText()).not.toContain('Hello');
    await page.locator('#menu-button').click();
    await expect.poll(() => page.locator('#menu .command-item').count()).toBeGreaterThan(3);
    expect(await page.locator('#menu .command-item[data-command="applications"]').count()).toBe(0);
    expect(await page.locator('#menu .command-item[data-command="apply"] .desc').innerText()).not.toBe('Apply to become a mentor');

    // The page's own labels follow the Telegram language of the person chosen: the Ukrainian mentor sees them in Ukrainian.
    const olena = PLAYGROUND_PEOPLE.find((p) => p.language_code === 'uk' && p.role === 'mentor')!;
    const uk = (readLocale('uk') as any).playground.page as Record<string, string>;
    await as(page, olena.id);
    expect(await page.locator('#send').innerText()).toBe(uk.send);
    expect(await page.locator('#menu-button').innerText()).toBe(uk.menu);
    expect(await page.locator('#demo').innerText()).toBe(uk.demo);
    expect(await page.locator('.banner .notice').innerText()).toBe(uk.notice);
    expect(await page.locator('#text').getAttribute('placeholder')).toBe(uk.message);
    expect(await page.locator(`.person[data-person-id="${olena.id}"] .role`).innerText()).toBe(`${uk.role_mentor} · uk`);
    expect(await page.locator('button.start').innerText()).toBe(uk.start);
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    expect(await page.locator('.banner').innerText()).not.toContain('Nothing is sent');
    // And back in English for the coordinator.
    await as(page, you.id);
    expect(await page.locator('#send').innerText()).toBe('Send');
  });

  it('a mentor applies by typing and pressing buttons and gets the receipt; the coordinator opens the application and accepts it', async () => {
    const { playground, page } = await open();
    await say(playground, page, you.id, '/start');
    await say(playground, page, you.id, `/call deadline ${nextYearDeadline()}`);
    await say(playground, page, you.id, '/call open');
    expect(await lastBotText(page)).toMatch(/open/i);

    await as(page, sarah.id);
    const id = sarah.id;
    await say(playground, page, id, '/apply');
    expect(await page.locator('#messages').innerText()).toContain('question 1 of');
    // Telegram's HTML shows as formatting, not as tags.
    expect(await page.locator('#messages .msg.bot .text b', { hasText: 'Application to become a mentor' }).count()).toBe(1);
    expect(await page.locator('#messages').innerText()).not.toContain('<b>');
    await say(playground, page, id, 'Sarah Miller');
    await say(playground, page, id, 'sarah@example.org');
    await press(playground, page, id, 'f|k|phone|');
    for (const answer of ['Ireland', 'Cork', 'City council', 'Head of international relations']) await say(playground, page, id, answer);
    // Done with nothing chosen: the bot's answer to the press pops up over the chat.
    await press(playground, page, id, 'f|d|expertise_areas|');
    await expect.poll(() => page.locator('#toast:not([hidden]), #alert[open] .alert-text').innerText()).toBe('Choose at least one option, then press Done.');
    await page.locator('#alert[open] .close').click({ timeout: 1000 }).catch(() => undefined);
    await press(playground, page, id, 'f|t|expertise_areas|0');
    // A choice shows as ticked on the same message, edited in place.
    await expect.poll(() => page.locator('#messages button.kb[data-data="f|t|expertise_areas|0"]').last().innerText()).toMatch(/^✓/);
    await press(playground, page, id, 'f|d|expertise_areas|');
    await say(playground, page, id, '12');
    await say(playground, page, id, 'Twelve years of twinning projects between Irish and Ukrainian towns.');
    await press(playground, page, id, 'f|d|experience_description|');
    await press(playground, page, id, 'f|c|context_knowledge|4');
    await press(playground, page, id, 'f|k|context_comment|');
    // The CV is sent as a file from the computer, as in Telegram.
    await act(playground, page, id, () => page.locator('#attach').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 Sarah Miller CV') }));
    expect(await page.locator('#messages .msg-wrap.user a.document .file-name').last().innerText()).toBe('cv.pdf');
    await press(playground, page, id, 'f|t|working_languages|0');
    await press(playground, page, id, 'f|d|working_languages|');
    await press(playground, page, id, 'f|c|english_level|3');
    await press(playground, page, id, 'f|c|ready_six_months|0');
    await press(playground, page, id, 'f|c|ready_to_travel|0');
    await press(playground, page, id, 'f|c|ready_for_meetings|0');
    await press(playground, page, id, 'f|k|preferences|');
    await say(playground, page, id, 'I want to help communities build partnerships.');
    await press(playground, page, id, 'f|d|motivation|');
    await press(playground, page, id, 'f|c|heard_from|2');
    await press(playground, page, id, 'f|a|consent|');
    expect(await page.locator('#messages').innerText()).toContain('please check it before submitting');
    await press(playground, page, id, 'f|s|review|');
    expect(await page.locator('#messages').innerText()).toContain('Thank you! Your application has been received.');

    await as(page, you.id);
    await expect.poll(() => page.locator('#messages').innerText()).toMatch(/New mentor application #\d+: Sarah Miller/);
    // The /application_N in the notice is a link, as in Telegram.
    await act(playground, page, you.id, () => page.locator('#messages a.command', { hasText: /^\/application_\d+$/ }).last().click());
    expect(await page.locator('#messages').innerText()).toContain('Sarah Miller');
    // Her CV comes with the application and downloads as she sent it.
    const cv = page.locator('#messages .msg-wrap.bot a.document', { hasText: 'cv.pdf' }).last();
    const [download] = await Promise.all([page.waitForEvent('download'), cv.click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe('%PDF-1.4 Sarah Miller CV');
    await act(playground, page, you.id, () => page.locator('#messages button.kb', { hasText: '✅ Accept' }).last().click());
    await act(playground, page, you.id, () => page.locator('#messages button.kb', { hasText: '📨 Send' }).last().click());

    await as(page, sarah.id);
    await expect.poll(() => lastBotText(page)).toMatch(/accepted|congratulat/i);
  });

  it('loads the demo programme; /match shows the best mentors for a community with the reasons', async () => {
    const { playground, page } = await open();
    await page.locator('#demo').click();
    await expect.poll(() => page.locator('#demo-status').innerText(), { timeout: 20_000 }).toMatch(/^Loaded: the call is open until/);
    // Pressed again, nothing is loaded twice.
    await page.locator('#demo').click();
    await expect.poll(() => page.locator('#demo-status').innerText()).toContain('already loaded');
    // Said in the language of the person the page shows.
    const olena = PLAYGROUND_PEOPLE.find((p) => p.language_code === 'uk' && p.role === 'mentor')!;
    await as(page, olena.id);
    await page.locator('#demo').click();
    await expect.poll(() => page.locator('#demo-status').innerText()).toBe((readLocale('uk') as any).playground.demo.already_loaded);
    await as(page, you.id);

    await say(playground, page, you.id, '/applications');
    expect(await lastBotText(page)).toContain('12 in all');
    await say(playground, page, you.id, '/match');
    expect(await lastBotText(page)).toContain('Mentors: 6');
    const slavutych = page.locator('#messages button.kb', { hasText: /^Slavutych \(#\d+\)$/ }).last();
    await act(playground, page, you.id, () => slavutych.click());
    const suggestions = await lastBotText(page);
    expect(suggestions).toContain('Best mentors for Slavutych');
    expect(suggestions).toMatch(/1\. .+ \(mentor #\d+\) — score/);
    expect(suggestions).toMatch(/shared themes \(\d\): /);
    expect(suggestions).toContain('common languages:');

    // The month's report comes with its chart, shown as a picture.
    await say(playground, page, you.id, '/report');
    expect(await page.locator('#messages').innerText()).toContain('Progress report');
    await expect.poll(() => page.locator('#messages img.photo').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#messages img.photo').last().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  });

  it('a mentor of the demo schedules a session and downloads the calendar file with the right DTSTART', async () => {
    const { playground, page } = await open();
    await page.locator('#demo').click();
    await expect.poll(() => page.locator('#demo-status').innerText(), { timeout: 20_000 }).toMatch(/^Loaded/);
    await as(page, sarah.id);
    const when = DateTime.now().setZone('Europe/Kyiv').plus({ days: 10 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
    await say(playground, page, sarah.id, '/schedule');
    await act(playground, page, sarah.id, () => page.locator('#messages button.kb', { hasText: 'Online meeting' }).last().click());
    await say(playground, page, sarah.id, when.toFormat('dd.MM.yyyy HH:mm'));
    await act(playground, page, sarah.id, () => page.locator('#messages button.kb', { hasText: '90 min' }).last().click());
    await say(playground, page, sarah.id, 'https://meet.example.org/zhovkva');
    await say(playground, page, sarah.id, 'The international office: first steps');
    await act(playground, page, sarah.id, () => page.locator('#messages button.kb', { hasText: 'Send invitations' }).last().click());
    expect(await page.locator('#messages').innerText()).toContain('Invitations with a calendar file are on their way');

    // The invitation comes through the outbox with its .ics file.
    const file = page.locator('#messages a.document', { hasText: /session-\d+\.ics/ }).last();
    await file.waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).toMatch(/^session-\d+\.ics$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(lines).toContain(`DTSTART:${when.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    expect(lines).toContain('DURATION:PT90M');
  });

  it('an invitation link the coordinator gets opens as the person chosen, who joins the team', async () => {
    const { playground, page } = await open();
    const marta = PLAYGROUND_PEOPLE.find((p) => p.first_name === 'Marta')!;
    await say(playground, page, you.id, '/start');
    await say(playground, page, you.id, '/newteam');
    await press(playground, page, you.id, 'f|c|kind|0');
    for (const answer of ['Zhovkva community', 'Ukraine']) await say(playground, page, you.id, answer);
    await press(playground, page, you.id, 'f|k|region|');
    await say(playground, page, you.id, '13 000');
    await say(playground, page, you.id, 'Oksana Melnyk, head of the development department');
    await press(playground, page, you.id, 'f|k|contact_email|');
    await press(playground, page, you.id, 'f|s|review|');
    const link = page.locator('#messages a', { hasText: /t\.me\/citymentor_playground_bot\?start=team_/ }).last();
    await link.click();
    await page.locator(`#open-as .open-as-person[data-person-id="${marta.id}"]`).click();
    await expect.poll(() => page.locator('#playground').getAttribute('data-person')).toBe(String(marta.id));
    await expect.poll(() => page.locator('#messages').innerText()).toContain('Zhovkva community');
    expect(await page.locator('#messages .msg-wrap.user').first().innerText()).toMatch(/^\/start team_/);
    // Marta's Telegram is in Polish: the invitation is too. She joins with its button.
    const join = page.locator('#messages button.kb[data-data^="tj|"]:not([data-data="tj|no"])').last();
    await act(playground, page, marta.id, () => join.click());
    expect(await playground.app.deps.db.teamMember.count()).toBe(1);
  });

  it('opens a form as a page (the Mini App) for the person shown, signed with the playground’s own token', async () => {
    const { playground, page, browser } = await open();
    await say(playground, page, you.id, '/start');
    await say(playground, page, you.id, `/call deadline ${nextYearDeadline()}`);
    await say(playground, page, you.id, '/call open');
    await as(page, sarah.id);
    await say(playground, page, sarah.id, '/apply');
    await say(playground, page, sarah.id, 'Sarah Miller');
    const [form] = await Promise.all([browser.context.waitForEvent('page'), page.locator('#messages button.kb.web-app').last().click()]);
    // The form page shows the answer given in chat: it is Sarah's own response.
    await expect.poll(() => form.locator('#q-full_name').inputValue(), { timeout: 15_000 }).toBe('Sarah Miller');
    expect(new URL(form.url()).hostname).toBe('127.0.0.1');
  });

  it('the coordinator’s menu button opens the console page, signed for them, with the demo’s applications', async () => {
    const { playground, page, browser } = await open();
    await page.locator('#demo').click();
    await expect.poll(() => page.locator('#demo-status').innerText(), { timeout: 20_000 }).toMatch(/^Loaded/);
    await say(playground, page, you.id, '/start');
    await expect.poll(() => page.locator('#app-button').isVisible()).toBe(true);
    expect(await page.locator('#app-button').innerText()).toBe('Console');
    const [consolePage] = await Promise.all([browser.context.waitForEvent('page'), page.locator('#app-button').click()]);
    await expect.poll(() => consolePage.locator('#panel-applications').innerText(), { timeout: 15_000 }).toContain('Dmytro Bondarenko');
    // A mentor has no such button.
    await as(page, sarah.id);
    await say(playground, page, sarah.id, '/start');
    expect(await page.locator('#app-button').isVisible()).toBe(false);
  });

  it('shows Telegram’s formatting safely, and edits and deletions as they happen', async () => {
    const { playground, page } = await open();
    const { Api } = await import('grammy');
    const bot = new Api(playground.api.token, { apiRoot: playground.api.apiRoot });
    const sent = await bot.sendMessage(
      you.id,
      '<b>bold</b> <i>italic</i> <tg-spoiler>secret</tg-spoiler> <a href="javascript:alert(1)">bad link</a> <a href="https://example.org/">good link</a> &lt;img src=x onerror=alert(1)&gt;',
      { parse_mode: 'HTML' },
    );
    const message = page.locator(`#messages .msg.bot[data-message-id="${sent.message_id}"]`);
    await message.waitFor();
    expect(await message.locator('b').innerText()).toBe('bold');
    expect(await message.locator('i').innerText()).toBe('italic');
    expect(await message.locator('.spoiler').innerText()).toBe('secret');
    expect(await message.locator('a', { hasText: 'bad link' }).getAttribute('href')).toBeNull();
    expect(await message.locator('a', { hasText: 'good link' }).getAttribute('href')).toBe('https://example.org/');
    // Escaped markup stays text: no element is made of it.
    expect(await message.locator('img').count()).toBe(0);
    expect(await message.locator('.text').innerText()).toContain('<img src=x onerror=alert(1)>');

    await bot.editMessageText(you.id, sent.message_id, 'Changed <u>text</u>', { parse_mode: 'HTML' });
    await expect.poll(() => message.locator('.text').innerText()).toBe('Changed text');
    expect(await message.locator('u').innerText()).toBe('text');
    expect(await message.locator('.meta').innerText()).toMatch(/^edited/);
    await bot.deleteMessage(you.id, sent.message_id);
    await expect.poll(() => message.count()).toBe(0);
  });
});

/** A raw request, so that the Host header can be anything. */
function raw(url: string, options: { method?: string; host?: string; type?: string; body?: string }) {
  return new Promise<number>((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      { host: '127.0.0.1', port: target.port, path: target.pathname, method: options.method ?? 'GET', headers: { host: options.host ?? target.host, ...(options.type ? { 'content-type': options.type } : {}) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the playground is for this computer only', () => {
  it('answers localhost only, takes actions only as JSON from its page, and files only with its header', async () => {
    const playground = await startPlayground({ databaseFile: path.join(tempDir(), 'playground.db'), port: 0 });
    onTestFinished(() => playground.stop());
    const send = `${playground.url}/api/chats/${you.id}/send`;
    expect(await raw(`${playground.url}/`, {})).toBe(200);
    // A page elsewhere that renames itself to reach 127.0.0.1 (DNS rebinding) is refused.
    expect(await raw(`${playground.url}/`, { host: 'evil.example:3000' })).toBe(403);
    // A form on another site can send only form types; those are refused, and nothing reaches the bot.
    expect(await raw(send, { method: 'POST', type: 'text/plain', body: JSON.stringify({ text: '/start' }) })).toBe(415);
    expect(await raw(`${playground.url}/api/chats/${you.id}/upload?name=x.pdf`, { method: 'POST', type: 'application/pdf', body: 'x' })).toBe(403);
    expect(await raw(`${playground.url}/api/chats/12345/send`, { method: 'POST', type: 'application/json', body: '{"text":"hi"}' })).toBe(404);
    expect(playground.api.chat(you.id)).toEqual([]);
    expect(await raw(send, { method: 'POST', type: 'application/json', body: JSON.stringify({ text: '/start' }) })).toBe(200);
    expect(playground.api.chat(you.id).map((e) => e.message.text)).toEqual(['/start']);
    // The bot's own server (for the form pages) listens on loopback only.
    expect(await (await fetch(`http://127.0.0.1:${playground.app.httpPort}/health`)).text()).toBe('ok');
    const outward = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (outward) await expect(fetch(`http://${outward.address}:${playground.app.httpPort}/health`)).rejects.toThrow();
  });
});
