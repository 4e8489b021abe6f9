/// <reference lib="dom" />
/**
 * The form page inside Telegram (a Mini App). Everything it shows comes from the
 * bot's API in the person's language; every answer is saved when it is given. The
 * Telegram SDK is bundled (no script from elsewhere); it reads the signed init data
 * and the theme Telegram passes when it opens the page.
 */
import { postEvent, retrieveLaunchParams, retrieveRawInitData } from '@tma.js/sdk';
import type { FormView, QuestionView } from '../form-view.js';
import { applyTheme } from './theme.js';

const app = document.getElementById('app')!;
const params = new URLSearchParams(location.search);
const responseId = Number(params.get('r'));
let initData: string | undefined;
let view: FormView | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function showStatus(text: string): void {
  app.replaceChildren(el('p', { id: 'status', role: 'alert' }, text));
}

async function callApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`/app/api/responses/${responseId}${path}`, {
    method,
    headers: { Authorization: `tma ${initData ?? ''}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

function render(): void {
  const v = view!;
  document.documentElement.lang = v.locale;
  document.title = v.title;
  const root = el('div');
  root.append(el('h1', {}, v.title));
  const progress = el('p', { id: 'progress' }, fill(v.texts.progress!, v.progress));
  const bar = el('progress', { max: String(v.progress.total), value: String(v.progress.answered), 'aria-labelledby': 'progress' });
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
    block.append(el('h2', { id: `title-${section.id}` }, section.title));
    for (const q of section.questions) block.append(questionBlock(q, v));
    root.append(block);
  }
  const footer = el('div', { class: 'submit' });
  const message = el('p', { id: 'submit-message', role: 'status' });
  if (!v.locked && v.submitLabel) {
    const button = el('button', { type: 'button', id: 'submit' }, v.submitLabel);
    if (!v.canSubmit) {
      button.disabled = true;
      message.textContent = fill(v.texts.missing!, { count: v.progress.missingRequired });
    }
    button.addEventListener('click', () => void submit(button, message));
    footer.append(button);
  }
  footer.append(message);
  root.append(footer);
  const focused = document.activeElement?.id;
  app.replaceChildren(root);
  if (focused) document.getElementById(focused)?.focus();
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
  const save = (value: unknown) => void saveAnswer(q, value, error, state);

  const group = (kind: 'radio' | 'checkbox') => {
    const fieldset = el('fieldset', { 'aria-describedby': described.join(' ') });
    fieldset.append(el('legend', {}, labelText));
    if (hintNode) fieldset.append(hintNode);
    return fieldset;
  };
  const answerOf = q.answer as any;
  switch (q.type) {
    case 'single_choice':
    case 'yes_no':
    case 'scale': {
      const fieldset = group('radio');
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
      const fieldset = group('checkbox');
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
      const fieldset = group('checkbox');
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
    default: {
      box.append(el('label', { for: id }, labelText));
      if (hintNode) box.append(hintNode);
      const long = q.type === 'long_text';
      const input = long ? el('textarea', { id, rows: '5' }) : el('input', { id, type: q.type === 'email' ? 'email' : q.type === 'date' ? 'date' : q.type === 'url' || q.type === 'document' ? 'url' : q.type === 'phone' ? 'tel' : 'text' });
      if (q.type === 'number') input.setAttribute('inputmode', 'decimal');
      if (q.maxLength) input.setAttribute('maxlength', String(q.maxLength));
      input.setAttribute('aria-describedby', described.join(' '));
      if (q.required) input.setAttribute('aria-required', 'true');
      const isFile = q.type === 'document' && answerOf && typeof answerOf === 'object' && answerOf.kind === 'file';
      if (q.type === 'document') {
        box.append(el('p', { class: 'hint' }, v.texts.file_in_chat));
        if (q.answerText && answerOf !== null) box.append(el('p', { class: 'current' }, q.answerText));
      }
      input.value = answerOf === undefined || answerOf === null || isFile ? '' : typeof answerOf === 'object' && answerOf.kind === 'url' ? answerOf.url : String(answerOf);
      input.disabled = disabled || (q.type === 'document' && !q.acceptUrl);
      input.addEventListener('change', () => save(input.value.trim() === '' ? (q.required ? '' : null) : input.value));
      box.append(input);
    }
  }
  if (q.answer === null) state.textContent = v.texts.skipped!;
  box.append(error, state);
  return box;
}

async function saveAnswer(q: QuestionView, value: unknown, error: HTMLElement, state: HTMLElement): Promise<void> {
  error.textContent = '';
  state.textContent = view!.texts.saving!;
  try {
    const result = await callApi('PUT', `/answers/${q.id}`, { value });
    if (result.status === 200) {
      view = result.body as FormView;
      render();
      const fresh = document.getElementById(`q-${q.id}-state`);
      if (fresh) fresh.textContent = view.texts.saved!;
      return;
    }
    state.textContent = '';
    error.textContent = result.body.message ?? textForStatus(result.status);
  } catch {
    state.textContent = '';
    error.textContent = view!.texts.save_failed!;
  }
}

async function submit(button: HTMLButtonElement, message: HTMLElement): Promise<void> {
  button.disabled = true;
  message.textContent = view!.texts.submitting!;
  const result = await callApi('POST', '/submit').catch(() => ({ status: 0, body: {} as any }));
  if (result.status === 200) {
    view = result.body as FormView;
    render();
    document.getElementById('submit-message')!.textContent = view.texts.submitted!;
    return;
  }
  button.disabled = false;
  message.textContent = result.body.message ?? textForStatus(result.status);
}

function textForStatus(status: number): string {
  const texts = view?.texts;
  if (status === 401) return texts?.unauthorized ?? 'Open this page from the bot in Telegram.';
  if (status === 403) return texts?.forbidden ?? 'This form belongs to someone else.';
  return texts?.save_failed ?? 'Something went wrong.';
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
  applyTheme(theme);
  try {
    postEvent('web_app_ready');
    postEvent('web_app_expand');
  } catch {
    // Outside Telegram there is nobody to tell.
  }
  const result = await callApi('GET', '').catch(() => ({ status: 0, body: {} as any }));
  if (result.status !== 200) return showStatus(result.body.message ?? textForStatus(result.status));
  view = result.body as FormView;
  render();
}

void start();
