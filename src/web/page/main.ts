/// <reference lib="dom" />
/**
 * The form page inside Telegram (a Mini App). Everything it shows comes from the
 * bot's API in the person's language; every answer is saved when it is given, and
 * long answers while they are typed. The Telegram SDK is bundled (no script from
 * elsewhere); it reads the signed init data and the theme Telegram passes when it
 * opens the page.
 */
import { postEvent, retrieveLaunchParams, retrieveRawInitData } from '@tma.js/sdk';
import type { FormView, QuestionView } from '../form-view.js';
import { el } from '../page-kit/dom.js';
import { languageOf } from '../page-kit/language.js';
import { localeOf, pageText } from './texts.js';
import { applyTheme } from './theme.js';

const app = document.getElementById('app')!;
const params = new URLSearchParams(location.search);
const responseId = Number(params.get('r'));
/** The section the chat's section button opened the page at. */
const startSection = params.get('s');
let initData: string | undefined;
let view: FormView | undefined;
/** Before the form is loaded (or when it cannot be): the language Telegram gives for the person. */
let fallbackLocale: string | undefined;

/** A typed answer is saved this long after the last key press (and at once when the field is left). */
const TYPING_DELAY_MS = 700;

/** A page text: from the form's view (the person's language), or the page's own copy of locales/<lang>/web.json. */
function text(name: string): string {
  return view?.texts[name] ?? pageText(view?.locale ?? fallbackLocale, name);
}

function showStatus(message: string): void {
  app.replaceChildren(el('p', { id: 'status', role: 'alert' }, message));
}

function request(method: string, path: string, body?: unknown, keepalive = false): Promise<Response> {
  return fetch(`/app/api/responses/${responseId}${path}`, {
    method,
    keepalive,
    headers: { Authorization: `tma ${initData ?? ''}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

async function callApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  try {
    const response = await request(method, path, body);
    return { status: response.status, body: await response.json().catch(() => ({})) };
  } catch {
    return { status: 0, body: {} };
  }
}

/** The API answers with a code (error) and, for the form's own rules, the chat's message in the person's language. */
function refusal(result: { status: number; body: any }): string {
  const code = result.body?.error;
  if (result.status === 401 || code === 'unauthorized') return text('unauthorized');
  if (result.status === 403 || code === 'forbidden') return text('forbidden');
  if (result.status === 404 || code === 'not_found') return text('not_found');
  if (result.status === 0) return text('network');
  if (typeof result.body?.message === 'string' && result.body.message) return result.body.message;
  return text('server_error');
}

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{?(\w+)\}?\}/g, (_, k: string) => String(values[k] ?? ''));

// ---- Saving ----

const NOTHING = Symbol('nothing');

/**
 * One question's saving: answers go one at a time in the order given, so an older
 * answer never lands after a newer one; while one is on its way only the latest
 * that follows it is kept.
 */
interface Saver {
  latest: unknown;
  timer?: ReturnType<typeof setTimeout>;
  inFlight: boolean;
  /** The value on its way to the server. */
  sending: unknown;
  /** The value last confirmed by the server (JSON), so that an unchanged field is not sent again. */
  saved?: string;
}
const savers = new Map<string, Saver>();

function saverOf(questionId: string): Saver {
  let saver = savers.get(questionId);
  if (!saver) {
    saver = { latest: NOTHING, inFlight: false, sending: NOTHING };
    savers.set(questionId, saver);
  }
  return saver;
}

/** The answer typed but not yet confirmed by the server, if any (a re-render must not lose it). */
function unsavedText(questionId: string): string | undefined {
  const saver = savers.get(questionId);
  if (saver && typeof saver.latest === 'string') return saver.latest;
  return saver && typeof saver.sending === 'string' ? saver.sending : undefined;
}

function scheduleSave(questionId: string, value: unknown): void {
  const saver = saverOf(questionId);
  saver.latest = value;
  clearTimeout(saver.timer);
  saver.timer = setTimeout(() => void sendLatest(questionId, true), TYPING_DELAY_MS);
}

/** The field was emptied while typing: what was typed before is not sent; leaving the field decides (skip, or the chat's refusal). */
function cancelScheduled(questionId: string): void {
  const saver = saverOf(questionId);
  clearTimeout(saver.timer);
  saver.timer = undefined;
  saver.latest = NOTHING;
}

function saveNow(questionId: string, value: unknown): Promise<void> {
  const saver = saverOf(questionId);
  saver.latest = value;
  clearTimeout(saver.timer);
  saver.timer = undefined;
  return sendLatest(questionId, false);
}

async function sendLatest(questionId: string, typing: boolean): Promise<void> {
  const saver = saverOf(questionId);
  saver.timer = undefined;
  if (saver.inFlight || saver.latest === NOTHING) return;
  const value = saver.latest;
  saver.latest = NOTHING;
  if (saver.saved === JSON.stringify(value)) return;
  saver.inFlight = true;
  saver.sending = value;
  setState(questionId, text('saving'), '');
  const result = await callApi('PUT', `/answers/${questionId}`, { value });
  saver.inFlight = false;
  saver.sending = NOTHING;
  if (result.status === 200) {
    saver.saved = JSON.stringify(value);
    const newer = saver.latest !== NOTHING && JSON.stringify(saver.latest) !== saver.saved;
    // Typed on meanwhile and not due yet: its own timer sends it.
    if (newer && saver.timer === undefined) return sendLatest(questionId, typing);
    if (!newer) saver.latest = NOTHING;
    update(result.body as FormView, typing || newer);
    setState(questionId, text('saved'), '');
    return;
  }
  // Refused: what was sent stays in the field with the reason, to be corrected.
  setState(questionId, '', refusal(result));
  if (saver.latest !== NOTHING) return sendLatest(questionId, typing);
}

function setState(questionId: string, state: string, error: string): void {
  const stateNode = document.getElementById(`q-${questionId}-state`);
  const errorNode = document.getElementById(`q-${questionId}-error`);
  if (stateNode) stateNode.textContent = state;
  if (errorNode) errorNode.textContent = error;
}

/** Sends every answer still waiting (before Submit). */
async function saveEverything(): Promise<void> {
  await Promise.all([...savers.keys()].map((id) => sendLatest(id, false)));
  while ([...savers.values()].some((s) => s.inFlight)) await new Promise((r) => setTimeout(r, 50));
}

/** The page is closed or hidden: what was typed and not yet sent goes now, with a request that outlives the page. */
function sendOnLeaving(): void {
  for (const [questionId, saver] of savers) {
    if (saver.latest === NOTHING || saver.saved === JSON.stringify(saver.latest)) continue;
    clearTimeout(saver.timer);
    saver.timer = undefined;
    void request('PUT', `/answers/${questionId}`, { value: saver.latest }, true).catch(() => undefined);
    saver.saved = JSON.stringify(saver.latest);
    saver.latest = NOTHING;
  }
}
addEventListener('pagehide', sendOnLeaving);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') sendOnLeaving();
});

// ---- Showing the form ----

/** What decides the page's layout: which questions are shown, and whether answers are taken. */
const layoutOf = (v: FormView) => JSON.stringify([v.locked, v.sections.map((s) => [s.id, s.questions.map((q) => q.id)])]);

/**
 * A saved answer's new view. While a long answer is typed the page is not rebuilt
 * (that would disturb the typing): progress and Submit are brought up to date, and
 * the page is rebuilt only when other questions appear or go.
 */
function update(fresh: FormView, typing: boolean): void {
  const before = view;
  view = fresh;
  if (typing && before && layoutOf(before) === layoutOf(fresh)) {
    showProgress();
    return;
  }
  render();
}

function showProgress(): void {
  const v = view!;
  const progress = document.getElementById('progress');
  if (progress) progress.textContent = fill(v.texts.progress!, v.progress);
  const bar = document.getElementById('progress-bar') as HTMLProgressElement | null;
  if (bar) {
    bar.max = Math.max(1, v.progress.total);
    bar.value = v.progress.answered;
  }
  const button = document.getElementById('submit') as HTMLButtonElement | null;
  const message = document.getElementById('submit-message');
  if (button && message && message.dataset.kind !== 'result') {
    button.disabled = !v.canSubmit;
    message.textContent = v.canSubmit ? '' : fill(v.texts.missing!, { count: v.progress.missingRequired });
  }
}

function render(): void {
  const v = view!;
  document.documentElement.lang = v.locale;
  document.title = v.title;
  const root = el('div');
  root.append(el('h1', {}, v.title));
  const progress = el('p', { id: 'progress' });
  const bar = el('progress', { id: 'progress-bar', 'aria-labelledby': 'progress' });
  root.append(progress, bar);
  if (v.locked) root.append(el('p', { class: 'notice', role: 'status' }, v.texts.locked));
  if (v.sections.length > 1) {
    const nav = el('nav', { 'aria-label': v.texts.sections! });
    const list = el('ul');
    for (const s of v.sections) {
      const li = el('li');
      li.append(el('a', { href: `#section-${s.id}` }, s.title));
      list.append(li);
    }
    nav.append(list);
    root.append(nav);
  }
  for (const section of v.sections) {
    const block = el('section', { id: `section-${section.id}`, 'aria-labelledby': `title-${section.id}` });
    block.append(el('h2', { id: `title-${section.id}`, tabindex: '-1' }, section.title));
    for (const q of section.questions) block.append(questionBlock(q, v));
    root.append(block);
  }
  const footer = el('div', { class: 'submit' });
  const message = el('p', { id: 'submit-message', role: 'status' });
  if (!v.locked && v.submitLabel) {
    const button = el('button', { type: 'button', id: 'submit' }, v.submitLabel);
    button.addEventListener('click', () => void submit(button, message));
    footer.append(button);
  }
  footer.append(message);
  root.append(footer);

  // Rebuilding keeps the place: the focused field, and in a text field what is typed and where the cursor is.
  const focused = document.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
  const focusedId = focused?.id;
  const typed = focused instanceof HTMLTextAreaElement || (focused instanceof HTMLInputElement && !['radio', 'checkbox'].includes(focused.type)) ? focused.value : undefined;
  const selection = typed !== undefined && typeof focused!.selectionStart === 'number' ? [focused!.selectionStart, focused!.selectionEnd ?? focused!.selectionStart] : undefined;
  app.replaceChildren(root);
  showProgress();
  if (focusedId) {
    const again = document.getElementById(focusedId) as HTMLInputElement | HTMLTextAreaElement | null;
    if (again && typed !== undefined && 'value' in again) again.value = typed;
    again?.focus();
    if (again && selection && 'setSelectionRange' in again) {
      try {
        again.setSelectionRange(selection[0]!, selection[1]!);
      } catch {
        // Not a text field (a checkbox, an e-mail field): nothing to keep.
      }
    }
  }
}

function questionBlock(q: QuestionView, v: FormView): HTMLElement {
  const id = `q-${q.id}`;
  const box = el('div', { class: 'question', id: `block-${q.id}` });
  const described: string[] = [];
  const labelText = `${q.text}${q.required ? '' : ` ${v.texts.optional}`}`;
  // The hint once, and what the chat would say to send (limits), as in the chat's question.
  const hint = [q.hint, q.expect].filter(Boolean).join(' ');
  const hintNode = hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : undefined;
  if (hintNode) described.push(hintNode.id);
  const error = el('p', { class: 'error', id: `${id}-error`, role: 'alert' });
  const state = el('p', { class: 'state', id: `${id}-state`, 'aria-live': 'polite' });
  described.push(error.id);
  const disabled = v.locked;
  const save = (value: unknown) => void saveNow(q.id, value);

  const group = () => {
    const fieldset = el('fieldset', { 'aria-describedby': described.join(' ') });
    fieldset.append(el('legend', { id: `${id}-label` }, labelText));
    if (hintNode) fieldset.append(hintNode);
    return fieldset;
  };
  const answerOf = q.answer as any;
  switch (q.type) {
    case 'single_choice':
    case 'yes_no':
    case 'scale': {
      const fieldset = group();
      q.options!.forEach((option, i) => {
        const input = el('input', { type: 'radio', name: id, id: `${id}-${i}` });
        input.checked = answerOf === option.value;
        input.disabled = disabled;
        input.addEventListener('change', () => save(option.value));
        const label = el('label', { for: input.id }, option.label);
        const row = el('div', { class: 'option' });
        row.append(input, label);
        fieldset.append(row);
      });
      box.append(fieldset);
      break;
    }
    case 'multiple_choice': {
      const fieldset = group();
      const chosen = new Set<string>(answerOf?.choices ?? []);
      const boxes: Array<[string, HTMLInputElement]> = [];
      const other = el('input', { type: 'text', id: `${id}-other`, maxlength: '200' });
      const collect = () => {
        const choices = boxes.filter(([, b]) => b.checked).map(([value]) => value);
        const otherText = other.value.trim();
        save(choices.length === 0 && !otherText ? null : { choices, ...(otherText ? { other: otherText } : {}) });
      };
      q.options!.forEach((option, i) => {
        const input = el('input', { type: 'checkbox', id: `${id}-${i}` });
        input.checked = chosen.has(String(option.value));
        input.disabled = disabled;
        input.addEventListener('change', collect);
        boxes.push([String(option.value), input]);
        const row = el('div', { class: 'option' });
        row.append(input, el('label', { for: input.id }, option.label));
        fieldset.append(row);
      });
      if (q.other) {
        other.value = answerOf?.other ?? '';
        other.disabled = disabled;
        other.addEventListener('change', collect);
        const row = el('div', { class: 'other' });
        row.append(el('label', { for: other.id }, `${v.texts.other} ${v.texts.other_text}`), other);
        fieldset.append(row);
      }
      box.append(fieldset);
      break;
    }
    case 'consent': {
      const fieldset = group();
      fieldset.append(el('p', { class: 'consent' }, q.consentText ?? ''));
      const input = el('input', { type: 'checkbox', id });
      input.checked = answerOf === true;
      // Consent once given is withdrawn through /privacy, not by unticking here.
      input.disabled = disabled || answerOf === true;
      input.addEventListener('change', () => input.checked && save(true));
      const row = el('div', { class: 'option' });
      row.append(input, el('label', { for: id }, v.texts.agree));
      fieldset.append(row);
      box.append(fieldset);
      break;
    }
    case 'document': {
      // Files come through the chat (Telegram sends them to the bot); the page says so and shows whether one came.
      const file = answerOf && typeof answerOf === 'object' && answerOf.kind === 'file' ? (answerOf as { fileName?: string }) : undefined;
      const intro = el('p', { class: 'hint', id: `${id}-how` }, q.acceptUrl ? v.texts.file_or_link : v.texts.file_in_chat);
      const received = el('p', { class: 'current', id: `${id}-file` }, file ? fill(v.texts.file_received!, { name: file.fileName ?? '—' }) : v.texts.file_none);
      described.unshift(intro.id, received.id);
      box.append(q.acceptUrl ? el('label', { for: id, id: `${id}-label` }, labelText) : el('p', { class: 'label', id: `${id}-label` }, labelText));
      if (hintNode) box.append(hintNode);
      box.append(intro, received);
      if (q.acceptUrl) {
        const input = el('input', { id, type: 'url', 'aria-describedby': described.join(' ') });
        input.value = unsavedText(q.id) ?? (answerOf && typeof answerOf === 'object' && answerOf.kind === 'url' ? answerOf.url : '');
        input.disabled = disabled;
        input.addEventListener('change', () => save(input.value.trim() === '' ? (q.required ? '' : null) : input.value));
        box.append(input);
      }
      if (!disabled) {
        const ask = el('button', { type: 'button', class: 'secondary', id: `${id}-ask`, 'aria-describedby': `${id}-label` }, v.texts.file_ask_button);
        ask.addEventListener('click', () => void askInChat(q.id, ask));
        box.append(ask);
      }
      break;
    }
    default: {
      box.append(el('label', { for: id, id: `${id}-label` }, labelText));
      if (hintNode) box.append(hintNode);
      const long = q.type === 'long_text';
      const input = long ? el('textarea', { id, rows: '5' }) : el('input', { id, type: q.type === 'email' ? 'email' : q.type === 'date' ? 'date' : q.type === 'url' ? 'url' : q.type === 'phone' ? 'tel' : 'text' });
      if (q.type === 'number') input.setAttribute('inputmode', 'decimal');
      if (q.maxLength) input.setAttribute('maxlength', String(q.maxLength));
      input.setAttribute('aria-describedby', described.join(' '));
      if (q.required) input.setAttribute('aria-required', 'true');
      input.value = unsavedText(q.id) ?? (answerOf === undefined || answerOf === null ? '' : String(answerOf));
      input.disabled = disabled;
      const valueToSave = () => (input.value.trim() === '' ? (q.required ? '' : null) : input.value);
      // Texts are saved while typed (an empty field waits for the person to leave it); other answers when the field is left.
      if (q.type === 'short_text' || q.type === 'long_text') {
        input.addEventListener('input', () => {
          if (input.value.trim() !== '') scheduleSave(q.id, input.value);
          else cancelScheduled(q.id);
        });
      }
      input.addEventListener('change', () => save(valueToSave()));
      input.addEventListener('blur', () => {
        if (savers.get(q.id)?.timer !== undefined) save(valueToSave());
      });
      box.append(input);
    }
  }
  // Skip, as the chat offers it: for optional questions only.
  if (!q.required && !disabled) {
    const skip = el('button', { type: 'button', class: 'secondary', id: `${id}-skip`, 'aria-describedby': `${id}-label` }, v.texts.skip);
    if (q.answer === null) skip.disabled = true;
    skip.addEventListener('click', () => save(null));
    box.append(skip);
  }
  if (q.answer === null) state.textContent = v.texts.skipped!;
  box.append(error, state);
  return box;
}

/** The chat asks for the file now; the page closes, so that the person is where the file is sent. */
async function askInChat(questionId: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  await saveEverything();
  const result = await callApi('POST', `/ask/${questionId}`);
  button.disabled = false;
  if (result.status !== 200) return setState(questionId, '', refusal(result));
  setState(questionId, text('file_asked'), '');
  try {
    postEvent('web_app_close');
  } catch {
    // Outside Telegram: the message above says where to go.
  }
}

async function submit(button: HTMLButtonElement, message: HTMLElement): Promise<void> {
  button.disabled = true;
  message.dataset.kind = 'result';
  message.textContent = text('submitting');
  await saveEverything();
  const result = await callApi('POST', '/submit');
  if (result.status === 200) {
    view = result.body as FormView;
    render();
    const shown = document.getElementById('submit-message')!;
    shown.dataset.kind = 'result';
    shown.textContent = text('submitted');
    return;
  }
  button.disabled = false;
  message.textContent = refusal(result);
}

/** Opened from a section's button in the chat: that section comes first on the screen. */
function openSection(): void {
  if (!startSection) return;
  const heading = document.getElementById(`title-${startSection}`);
  if (!heading) return;
  heading.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}

async function start(): Promise<void> {
  let theme: Record<string, string | undefined> = {};
  try {
    const launch = retrieveLaunchParams() as unknown as { tgWebAppThemeParams?: Record<string, string | undefined> };
    theme = launch.tgWebAppThemeParams ?? {};
    initData = retrieveRawInitData();
  } catch {
    // Not opened from Telegram: the API will say so (401).
  }
  fallbackLocale = languageOf(initData);
  document.documentElement.lang = localeOf(fallbackLocale);
  applyTheme(theme);
  try {
    postEvent('web_app_ready');
    postEvent('web_app_expand');
  } catch {
    // Outside Telegram there is nobody to tell.
  }
  app.setAttribute('aria-busy', 'true');
  showStatus(text('loading'));
  const result = await callApi('GET', '');
  app.removeAttribute('aria-busy');
  if (result.status !== 200) return showStatus(refusal(result));
  view = result.body as FormView;
  render();
  openSection();
}

void start();
