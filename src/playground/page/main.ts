/// <reference lib="dom" />
/**
 * The playground's page: each person's chat with the bot, drawn the way Telegram draws
 * it, from the embedded Bot API server's event stream. Nothing here talks to anything
 * but the playground on this computer.
 */
import type { BotCommand, InlineKeyboardButton, Message } from 'grammy/types';
import type { ChatEntry, ChatEvent } from '../bot-api-server.js';
import type { PlaygroundPerson } from '../people.js';
import { appendLinkified, renderTelegramHtml } from './telegram-html.js';
import { el } from '../../web/page-kit/dom.js';
import { localeOf, playgroundText, type TextName } from './texts.js';

type StreamEvent = ChatEvent | { type: 'history'; chatId: number; entries: ChatEntry[] };

interface State {
  bot: { username: string; name: string };
  people: PlaygroundPerson[];
  publicUrl: string;
  person?: PlaygroundPerson;
  entries: ChatEntry[];
  stream?: EventSource;
}

const ROLE_LABELS: Record<PlaygroundPerson['role'], TextName> = { coordinator: 'role_coordinator', mentor: 'role_mentor', team: 'role_team' };
const root = document.getElementById('playground')!;
const state: State = { bot: { username: '', name: '' }, people: [], publicUrl: '', entries: [] };

/** A label in the Telegram language of the person one is being (English before one is chosen). */
function t(name: TextName, vars?: Record<string, string | number>): string {
  return playgroundText(state.person?.language_code, name, vars);
}

function roleOf(p: PlaygroundPerson): string {
  return t(ROLE_LABELS[p.role]);
}

const messages = el('div', { id: 'messages', role: 'log', 'aria-live': 'polite' });
const replyKeyboard = el('div', { id: 'reply-keyboard', hidden: '' });
const input = el('input', { id: 'text', type: 'text', autocomplete: 'off' });
const attach = el('input', { id: 'attach', type: 'file' });
const attachLabel = el('label', { class: 'attach' }, '📎', attach);
const sendButton = el('button', { type: 'submit', id: 'send' });
const menuButton = el('button', { id: 'menu-button', type: 'button' });
const menu = el('div', { id: 'menu', hidden: '', role: 'menu' });
/** The chat's menu button when the bot made it open a page (the coordinators' console). */
const appButton = el('button', { id: 'app-button', type: 'button', hidden: '' });
const chatTitle = el('div', { class: 'chat-title' });
const typing = el('span', { class: 'typing', hidden: '' });
const peopleList = el('nav', { id: 'people' });
const toast = el('div', { id: 'toast', role: 'status', hidden: '' });
const alertDialog = el('dialog', { id: 'alert' });
const openAsDialog = el('dialog', { id: 'open-as' });
const demoButton = el('button', { id: 'demo', type: 'button' });
const demoStatus = el('span', { id: 'demo-status', role: 'status' });
const bannerTitle = el('strong', {});
const bannerNotice = el('span', { class: 'notice' });

/** Puts the page's own labels in the chosen person's language (again at each switch). */
function applyTexts(): void {
  document.documentElement.lang = localeOf(state.person?.language_code);
  document.title = t('title');
  bannerTitle.textContent = t('title');
  bannerNotice.textContent = t('notice');
  demoButton.textContent = t('demo');
  input.placeholder = t('message');
  input.setAttribute('aria-label', t('message'));
  attach.setAttribute('aria-label', t('send_file'));
  attachLabel.title = t('send_file');
  sendButton.textContent = t('send');
  menuButton.textContent = t('menu');
  menuButton.title = t('commands');
  typing.textContent = t('typing');
  peopleList.setAttribute('aria-label', t('people'));
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function sendText(text: string, person = state.person): void {
  if (!person || !text.trim()) return;
  void post(`/api/chats/${person.id}/send`, { text });
}

function layout(): void {
  const composer = el('form', { id: 'composer' }, menuButton, appButton, attachLabel, input, sendButton);
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendText(input.value);
    input.value = '';
  });
  attach.addEventListener('change', () => void upload());
  menuButton.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
  });
  demoButton.addEventListener('click', () => void loadDemo());
  messages.addEventListener('click', onMessagesClick);
  root.replaceChildren(
    el(
      'header',
      { class: 'banner' },
      bannerTitle,
      bannerNotice,
      demoButton,
      demoStatus,
    ),
    el('div', { class: 'layout' }, peopleList, el('section', { class: 'chat' }, el('div', { class: 'chat-head' }, chatTitle, typing), messages, replyKeyboard, menu, composer)),
    toast,
    alertDialog,
    openAsDialog,
  );
  applyTexts();
}

function renderPeople(): void {
  peopleList.replaceChildren(
    ...state.people.map((p) => {
      const button = el(
        'button',
        { type: 'button', class: `person${p.id === state.person?.id ? ' current' : ''}`, 'data-person-id': String(p.id) },
        el('span', { class: 'name' }, fullName(p)),
        el('span', { class: 'role' }, `${roleOf(p)} · ${p.language_code}`),
      );
      button.addEventListener('click', () => selectPerson(p));
      return button;
    }),
  );
}

function fullName(p: PlaygroundPerson): string {
  return [p.first_name, p.last_name].filter(Boolean).join(' ');
}

function selectPerson(person: PlaygroundPerson): void {
  if (state.person?.id === person.id) return;
  state.person = person;
  state.stream?.close();
  state.entries = [];
  messages.replaceChildren();
  menu.hidden = true;
  applyTexts();
  chatTitle.replaceChildren(el('strong', {}, state.bot.name), el('span', { class: 'as' }, ` · ${t('you_are', { name: fullName(person), role: roleOf(person), language: person.language_code })}`));
  root.dataset.person = String(person.id);
  renderPeople();
  void loadCommands();
  const stream = new EventSource(`/api/chats/${person.id}/events`);
  stream.onmessage = (event) => onEvent(JSON.parse(String(event.data)) as StreamEvent);
  state.stream = stream;
}

function onEvent(event: StreamEvent): void {
  if (event.type === 'commands') return void loadCommands();
  if (event.chatId !== state.person?.id) return;
  switch (event.type) {
    case 'history':
      state.entries = event.entries;
      messages.replaceChildren(...event.entries.map(renderEntry));
      break;
    case 'message':
      state.entries.push(event.entry);
      messages.append(renderEntry(event.entry));
      typing.hidden = true;
      break;
    case 'edit': {
      const index = state.entries.findIndex((e) => e.from === event.entry.from && e.message.message_id === event.entry.message.message_id);
      if (index >= 0) state.entries[index] = event.entry;
      messages.querySelector(`[data-key="${keyOf(event.entry)}"]`)?.replaceWith(renderEntry(event.entry));
      break;
    }
    case 'delete': {
      state.entries = state.entries.filter((e) => !(e.from === 'bot' && e.message.message_id === event.messageId));
      messages.querySelector(`[data-key="bot:${event.messageId}"]`)?.remove();
      break;
    }
    case 'callback_answer':
      if (event.showAlert) showAlert(event.text);
      else if (event.text) showToast(event.text);
      break;
    case 'typing':
      typing.hidden = false;
      setTimeout(() => (typing.hidden = true), 4000);
      break;
  }
  renderEmptyChat();
  renderReplyKeyboard();
  messages.scrollTop = messages.scrollHeight;
}

function keyOf(entry: ChatEntry): string {
  return `${entry.from}:${entry.message.message_id}`;
}

function renderEmptyChat(): void {
  const existing = messages.querySelector('.start');
  if (state.entries.length > 0) return existing?.remove();
  if (existing) return;
  const start = el('button', { type: 'button', class: 'start' }, t('start'));
  start.addEventListener('click', () => sendText('/start'));
  messages.append(el('div', { class: 'start-wrap' }, el('p', {}, t('empty_chat', { name: fullName(state.person!) })), start));
}

function renderEntry(entry: ChatEntry): HTMLElement {
  const m = entry.message as Message & Record<string, unknown>;
  const bubble = el('div', { class: `msg ${entry.from}`, 'data-message-id': String(m.message_id) });
  if (m.photo && m.photo.length > 0) {
    const largest = m.photo[m.photo.length - 1]!;
    bubble.append(el('img', { class: 'photo', src: `/api/files/${encodeURIComponent(largest.file_id)}?inline=1`, alt: t('photo') }));
  }
  if (m.document) {
    const name = m.document.file_name ?? t('file');
    bubble.append(
      el(
        'a',
        { class: 'document', href: `/api/files/${encodeURIComponent(m.document.file_id)}`, download: name },
        el('span', { class: 'icon' }, '📄'),
        el('span', { class: 'file-name' }, name),
        el('span', { class: 'file-size' }, m.document.file_size ? ` ${formatSize(m.document.file_size)}` : ''),
      ),
    );
  }
  const text = entry.source?.text ?? m.text ?? m.caption;
  if (text) {
    const body = el('div', { class: 'text' });
    if (entry.source?.parseMode === 'HTML') body.append(renderTelegramHtml(text));
    else appendLinkified(body, text, false);
    bubble.append(body);
  } else if (m.sticker) bubble.append(el('div', { class: 'text' }, t('sticker')));
  const time = new Date(m.date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  bubble.append(el('span', { class: 'meta' }, entry.edited ? t('edited', { time }) : time));
  const keyboard = (m.reply_markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard;
  if (entry.from === 'bot' && keyboard?.length) {
    const rows = keyboard.map((row) => el('div', { class: 'row' }, ...row.map((b) => renderButton(b, m.message_id))));
    return el('div', { class: 'msg-wrap bot', 'data-key': keyOf(entry) }, bubble, el('div', { class: 'keyboard' }, ...rows));
  }
  return el('div', { class: `msg-wrap ${entry.from}`, 'data-key': keyOf(entry) }, bubble);
}

function renderButton(button: InlineKeyboardButton, messageId: number): HTMLElement {
  const node = el('button', { type: 'button', class: 'kb' }, button.text);
  if ('callback_data' in button) {
    node.dataset.data = button.callback_data;
    node.addEventListener('click', () => {
      if (state.person) void post(`/api/chats/${state.person.id}/press`, { messageId, data: button.callback_data });
    });
  } else if ('url' in button) {
    node.classList.add('url');
    node.addEventListener('click', () => openLink(button.url));
  } else if ('web_app' in button && button.web_app) {
    node.classList.add('web-app');
    const address = button.web_app.url;
    node.addEventListener('click', () => void openWebApp(address));
  } else if ('copy_text' in button && button.copy_text) {
    const copied = button.copy_text.text;
    node.addEventListener('click', () => void navigator.clipboard?.writeText(copied).then(() => showToast(t('copied'))));
  }
  return node;
}

function renderReplyKeyboard(): void {
  let keyboard: Array<Array<{ text: string } | string>> | undefined;
  for (const entry of state.entries) {
    if (entry.from !== 'bot') continue;
    const markup = entry.message.reply_markup as { keyboard?: typeof keyboard; remove_keyboard?: boolean } | undefined;
    if (markup?.keyboard) keyboard = markup.keyboard;
    else if (markup?.remove_keyboard) keyboard = undefined;
  }
  replyKeyboard.hidden = !keyboard;
  replyKeyboard.replaceChildren(
    ...(keyboard ?? []).map((row) =>
      el(
        'div',
        { class: 'row' },
        ...row.map((b) => {
          const label = typeof b === 'string' ? b : b.text;
          const node = el('button', { type: 'button', class: 'reply-kb' }, label);
          node.addEventListener('click', () => sendText(label));
          return node;
        }),
      ),
    ),
  );
}

/** A t.me link to this bot with ?start=…: opened as the person one picks, as the link's receiver would. */
function deepLinkPayload(href: string): string | undefined {
  const match = /^https?:\/\/t\.me\/([\w]+)\?start=([\w-]+)$/i.exec(href);
  return match && match[1]!.toLowerCase() === state.bot.username.toLowerCase() ? match[2] : undefined;
}

function openLink(href: string): void {
  const payload = deepLinkPayload(href);
  if (payload !== undefined) return openAs(payload);
  window.open(href, '_blank', 'noopener,noreferrer');
}

function onMessagesClick(event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest('a');
  if (!link || link.classList.contains('document')) return;
  if (link.classList.contains('command')) {
    event.preventDefault();
    return sendText(link.dataset.command ?? '');
  }
  const payload = deepLinkPayload(link.href);
  if (payload !== undefined) {
    event.preventDefault();
    openAs(payload);
  }
}

function openAs(payload: string): void {
  openAsDialog.replaceChildren(
    el('p', {}, t('open_as', { payload })),
    ...state.people.map((p) => {
      const choice = el('button', { type: 'button', class: 'open-as-person', 'data-person-id': String(p.id) }, `${fullName(p)} · ${roleOf(p)} · ${p.language_code}`);
      choice.addEventListener('click', () => {
        openAsDialog.close();
        selectPerson(p);
        sendText(`/start ${payload}`, p);
      });
      return choice;
    }),
    closeButton(openAsDialog, t('cancel')),
  );
  openAsDialog.showModal();
}

async function openWebApp(address: string): Promise<void> {
  if (!state.person) return;
  const response = await fetch(`/api/chats/${state.person.id}/webapp?url=${encodeURIComponent(address)}`);
  if (!response.ok) return showToast(t('webapp_unavailable'));
  const { url } = (await response.json()) as { url: string };
  window.open(url, '_blank');
}

function closeButton(dialog: HTMLDialogElement, label: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'close' }, label);
  button.addEventListener('click', () => dialog.close());
  return button;
}

function showAlert(text: string): void {
  alertDialog.replaceChildren(el('p', { class: 'alert-text' }, text), closeButton(alertDialog, t('ok')));
  alertDialog.showModal();
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function showToast(text: string): void {
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.hidden = true), 3500);
}

async function loadCommands(): Promise<void> {
  const person = state.person;
  if (!person) return;
  const { commands, menuButton: button } = (await (await fetch(`/api/chats/${person.id}/commands`)).json()) as {
    commands: BotCommand[];
    menuButton: { type: string; text?: string; web_app?: { url: string } };
  };
  if (person !== state.person) return;
  appButton.hidden = button.type !== 'web_app' || !button.web_app;
  appButton.textContent = button.text ?? '';
  appButton.onclick = button.web_app ? () => void openWebApp(button.web_app!.url) : null;
  menu.replaceChildren(
    ...commands.map((c) => {
      const item = el('button', { type: 'button', class: 'command-item', role: 'menuitem', 'data-command': c.command }, el('span', { class: 'cmd' }, `/${c.command}`), el('span', { class: 'desc' }, c.description));
      item.addEventListener('click', () => {
        menu.hidden = true;
        sendText(`/${c.command}`);
      });
      return item;
    }),
  );
  menuButton.disabled = commands.length === 0;
}

async function upload(): Promise<void> {
  const file = attach.files?.[0];
  const person = state.person;
  attach.value = '';
  if (!file || !person) return;
  const query = new URLSearchParams({ name: file.name, type: file.type });
  const response = await fetch(`/api/chats/${person.id}/upload?${query.toString()}`, { method: 'POST', headers: { 'X-Playground': '1' }, body: file });
  if (!response.ok) showToast(t(response.status === 413 ? 'file_too_large' : 'file_failed'));
}

async function loadDemo(): Promise<void> {
  demoButton.disabled = true;
  demoStatus.textContent = t('demo_loading');
  try {
    const response = await post('/api/demo', { language: state.person?.language_code });
    const result = (await response.json()) as { summary?: string; error?: string };
    demoStatus.textContent = response.ok ? (result.summary ?? t('demo_loaded')) : t('demo_failed', { error: result.error ?? response.status });
  } catch {
    demoStatus.textContent = t('demo_no_answer');
  } finally {
    demoButton.disabled = false;
  }
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  layout();
  const info = (await (await fetch('/api/people')).json()) as { bot: State['bot']; people: PlaygroundPerson[]; publicUrl: string };
  state.bot = info.bot;
  state.people = info.people;
  state.publicUrl = info.publicUrl;
  const wanted = Number(new URLSearchParams(location.search).get('as'));
  selectPerson(state.people.find((p) => p.id === wanted) ?? state.people[0]!);
}

void main();
