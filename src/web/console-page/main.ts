/// <reference lib="dom" />
/**
 * The coordinators' console inside Telegram (a Mini App): applications, the matching
 * board and the programme dashboard. Everything comes from the console API in the
 * coordinator's language; the API checks the signed init data and the role on every
 * request. The Telegram SDK is bundled (nothing loads from elsewhere).
 */
import { postEvent, retrieveLaunchParams, retrieveRawInitData } from '@tma.js/sdk';
import { applyTheme } from '../page/theme.js';
import { call, setInitData } from './api.js';
import { applicationsTab } from './applications.js';
import type { ConsoleContext } from './context.js';
import { dashboardTab } from './dashboard.js';
import { button, el } from './dom.js';
import { matchingTab } from './matching.js';
import { earlyText, languageOf } from './texts.js';

const app = document.getElementById('app')!;
const TABS = ['applications', 'matching', 'dashboard'] as const;
type Tab = (typeof TABS)[number];

function showStatus(text: string): void {
  app.replaceChildren(el('p', { id: 'status', role: 'alert' }, text));
}

async function start(): Promise<void> {
  let theme: Record<string, string | undefined> = {};
  let rawInitData: string | undefined;
  try {
    const launch = retrieveLaunchParams() as unknown as { tgWebAppThemeParams?: Record<string, string | undefined> };
    theme = launch.tgWebAppThemeParams ?? {};
    rawInitData = retrieveRawInitData();
    setInitData(rawInitData ?? '');
  } catch {
    // Not opened from Telegram: the API will say so (401).
  }
  // Until the API knows the coordinator: the language Telegram gives for the person, else the browser's.
  const early = languageOf(rawInitData);
  document.documentElement.lang = early;
  applyTheme(theme);
  try {
    postEvent('web_app_ready');
    postEvent('web_app_expand');
  } catch {
    // Outside Telegram there is nobody to tell.
  }
  const session = await call('GET', '/session');
  if (session.status !== 200) {
    return showStatus(session.body.message ?? earlyText(early, session.status === 401 ? 'unauthorized' : 'failed'));
  }
  const { texts, labels, locale } = session.body;
  document.documentElement.lang = locale;
  document.title = texts.title;
  const notice = el('p', { id: 'notice', role: 'status', 'aria-live': 'polite' });
  const ctx: ConsoleContext = {
    texts,
    labels,
    locale,
    say(text, kind = 'ok') {
      notice.textContent = text;
      notice.className = kind;
    },
  };
  const panels = Object.fromEntries(TABS.map((tab) => [tab, el('div', { id: `panel-${tab}`, role: 'tabpanel', 'aria-labelledby': `tab-${tab}`, hidden: true })])) as unknown as Record<Tab, HTMLElement>;
  const views = {
    applications: applicationsTab(ctx, panels.applications),
    matching: matchingTab(ctx, panels.matching),
    dashboard: dashboardTab(ctx, panels.dashboard),
  };
  const tabButtons = TABS.map((tab) => button(texts[`tab_${tab}`], () => void open(tab), { id: `tab-${tab}`, role: 'tab', 'aria-controls': `panel-${tab}` }));
  const open = async (tab: Tab) => {
    TABS.forEach((t, i) => {
      panels[t].hidden = t !== tab;
      tabButtons[i]!.setAttribute('aria-selected', String(t === tab));
    });
    notice.textContent = '';
    // Each tab asks the server afresh when it is opened again: another coordinator may have acted meanwhile.
    await views[tab].show();
  };
  app.replaceChildren(el('header', {}, el('h1', {}, texts.title), el('div', { role: 'tablist', 'aria-label': texts.title }, ...tabButtons)), notice, ...TABS.map((t) => panels[t]));
  const wanted = new URLSearchParams(location.search).get('tab');
  await open((TABS as readonly string[]).includes(wanted ?? '') ? (wanted as Tab) : 'applications');
}

void start();
