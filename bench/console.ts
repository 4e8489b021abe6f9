/**
 * The coordinators' console at programme scale: 2,000 applications, and matching
 * 200 mentee teams against 2,000 mentors. The real app serves the console (PUBLIC_URL
 * set) on loopback with the fake Telegram server; figures are the console API's
 * response times and, where Chromium is installed, the time until the page first
 * shows the applications table, the candidates of a team, and the whole-pool proposal.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sign } from '@tma.js/init-data-node';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { THEMES, WORKING_LANGUAGES } from '../src/domain/themes.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { int, ms, percentile, progress, type Table } from './support/report.js';
import { prng } from './support/random.js';

export interface ConsoleOptions {
  quick: boolean;
}

const COORDINATOR = 9_000_001;
const COUNTRIES = ['Poland', 'Ukraine', 'Latvia', 'Moldova', 'Germany', 'Lithuania'];
const CHUNK = 500;

/** Applicants with full answers, each made an accepted mentor (so the same people make the matching pool), and teams with a submitted needs analysis. */
async function seed(db: Database, applications: number, teams: number): Promise<void> {
  const random = prng(2026);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const some = <T>(items: readonly T[], n: number) => [...new Set(Array.from({ length: n }, () => pick(items)))];
  const programmeId = (await db.programme.findFirstOrThrow()).id;
  const at = new Date('2026-01-10T10:00:00Z');
  for (let start = 0; start < applications; start += CHUNK) {
    const n = Math.min(CHUNK, applications - start);
    await db.person.createMany({ data: Array.from({ length: n }, (_, k) => ({ telegramId: BigInt(30_000_000 + start + k), firstName: `Applicant ${start + k + 1}`, language: 'en' })) });
  }
  const people = await db.person.findMany({ where: { telegramId: { gte: 30_000_000n } }, orderBy: { id: 'asc' } });
  for (let start = 0; start < people.length; start += CHUNK) {
    const part = people.slice(start, start + CHUNK);
    await db.formResponse.createMany({
      data: part.map((p) => ({ programmeId, formId: 'application', ownerKey: `person:${p.id}`, status: 'submitted', submittedAt: at })),
    });
  }
  const responses = await db.formResponse.findMany({ where: { formId: 'application' }, orderBy: { id: 'asc' } });
  for (let start = 0; start < responses.length; start += CHUNK) {
    const answers = responses.slice(start, start + CHUNK).flatMap((r, k) => {
      const personId = Number(r.ownerKey.split(':')[1]);
      const value = (questionId: string, v: unknown) => ({ responseId: r.id, questionId, value: JSON.stringify(v), answeredById: personId, answeredAt: at });
      return [
        value('full_name', `Applicant Number ${start + k + 1}`),
        value('email', `a${start + k}@example.org`),
        value('country', pick(COUNTRIES)),
        value('city', `City ${Math.floor(random() * 40)}`),
        value('organisation', 'City hall'),
        value('position', 'Head of international relations'),
        value('expertise_areas', { choices: some(THEMES, 1 + Math.floor(random() * 4)) }),
        value('working_languages', { choices: some(WORKING_LANGUAGES, 1 + Math.floor(random() * 2)) }),
        value('english_level', pick(['B1', 'B2', 'C1', 'C2'])),
        value('motivation', 'I have run twinning projects for ten years and want to share what worked.'),
        value('ready_six_months', random() < 0.85),
        value('ready_to_travel', random() < 0.6),
        value('ready_for_meetings', random() < 0.8),
      ];
    });
    await db.formAnswer.createMany({ data: answers });
  }
  await db.mentor.createMany({ data: responses.map((r) => ({ programmeId, personId: Number(r.ownerKey.split(':')[1]), applicationId: r.id, capacity: 1, acceptedAt: at })) });
  const creator = people[0]!.id;
  await db.team.createMany({ data: Array.from({ length: teams }, (_, k) => ({ programmeId, name: `Hromada ${k + 1}`, country: 'Ukraine', city: `Town ${k}`, population: 5_000 + Math.floor(random() * 100_000), createdById: creator })) });
  const teamRows = await db.team.findMany({ orderBy: { id: 'asc' } });
  await db.formResponse.createMany({ data: teamRows.map((t) => ({ programmeId, formId: 'needs_analysis', ownerKey: `team:${t.id}`, status: 'submitted', submittedAt: at })) });
  const needs = await db.formResponse.findMany({ where: { formId: 'needs_analysis' }, orderBy: { id: 'asc' } });
  await db.formAnswer.createMany({
    data: needs.flatMap((r) => [
      { responseId: r.id, questionId: 'themes', value: JSON.stringify({ choices: some(THEMES, 1 + Math.floor(random() * 5)) }), answeredById: creator, answeredAt: at },
      { responseId: r.id, questionId: 'working_languages', value: JSON.stringify({ choices: some(['uk', 'en', 'pl'], 1 + Math.floor(random() * 2)) }), answeredById: creator, answeredAt: at },
    ]),
  });
}

async function timed(base: string, auth: string, method: 'GET' | 'POST', apiPath: string, repeats: number): Promise<{ ms: number; bytes: number; status: number }> {
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    const response = await fetch(`${base}/app/api/console${apiPath}`, { method, headers: { Authorization: `tma ${auth}` } });
    const text = await response.text();
    times.push(performance.now() - started);
    bytes = text.length;
    status = response.status;
  }
  return { ms: percentile(times, 50), bytes, status };
}

/** Time from navigation until each view is on screen, in Debian's Chromium (skipped without it). */
async function paint(base: string, auth: string, teamId: number, sizes: { applications: number; teams: number }): Promise<Array<[string, string]>> {
  const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (!chromium) return [['page in Chromium', 'skipped: no Chromium (/usr/bin/chromium or CHROMIUM_PATH)']];
  const { chromium: driver } = await import('playwright-core');
  const browser = await driver.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
  const out: Array<[string, string]> = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => progress(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.url().includes('/api/') && response.status() >= 400) progress(`${response.status()} ${response.url().replace(base, '')}`);
    });
    await page.addInitScript(() => {
      (window as unknown as { TelegramWebviewProxy: unknown }).TelegramWebviewProxy = { postEvent: () => undefined };
    });
    const launch = new URLSearchParams({ tgWebAppData: auth, tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop', tgWebAppThemeParams: '{}' });
    const started = performance.now();
    await page.goto(`${base}/app/console/#${launch}`);
    await page.locator('tr[data-id]').first().waitFor({ timeout: 60_000 });
    out.push([`applications table on screen (50 of ${int(sizes.applications)} rows), from navigation`, ms(performance.now() - started)]);
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    out.push(['first contentful paint (the browser\'s own figure)', ms(fcp)]);
    let t = performance.now();
    await Promise.all([page.waitForResponse((r) => r.url().includes('/console/applications?') && r.url().includes('country=Latvia')), page.locator('#filter-country').selectOption('Latvia')]);
    await page.locator('tr[data-id]').first().waitFor();
    out.push(['filter by country, until the table is drawn again', ms(performance.now() - t)]);
    t = performance.now();
    await page.locator('#tab-matching').click();
    await page.locator(`button[data-team="${teamId}"]`).click();
    await page.locator('.candidate').first().waitFor({ timeout: 60_000 });
    out.push(['matching tab, then the best mentors of one team on screen', ms(performance.now() - t)]);
    t = performance.now();
    await page.locator('#run-assignment').click();
    await page.locator('#proposed tbody tr').first().waitFor({ timeout: 120_000 });
    out.push([`whole-pool proposal (${sizes.teams} teams × ${int(sizes.applications)} mentors) on screen`, ms(performance.now() - t)]);
  } finally {
    await browser.close();
  }
  return out;
}

export async function consoleBenchmark(options: ConsoleOptions): Promise<Table[]> {
  const applications = options.quick ? 500 : 2_000;
  const teams = options.quick ? 50 : 200;
  const repeats = options.quick ? 3 : 5;
  const api = await new FakeBotApi().start();
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-bench-console-'));
  const config = loadConfig({
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: `file:${path.join(dir, 'citymentor.db')}`,
    PUBLIC_URL: 'https://citymentor.example.org',
    PORT: '0',
    ADMIN_IDS: String(COORDINATOR),
    LOG_LEVEL: 'warn',
  });
  const app = await startApp(config, { logger: createLogger('warn', [api.token], { write: (line: string) => void (/"level":50/.test(line) && process.stderr.write(line)) }), scheduledJobs: false });
  try {
    const { db } = app.deps;
    await db.person.create({ data: { telegramId: BigInt(COORDINATOR), firstName: 'Coordinator', language: 'en' } });
    progress(`seeding ${int(applications)} applications (each an accepted mentor) and ${teams} teams`);
    const seeded = performance.now();
    await seed(db, applications, teams);
    progress(`seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const base = `http://127.0.0.1:${app.httpPort}`;
    const auth = sign({ user: { id: COORDINATOR, first_name: 'Coordinator', language_code: 'en' } } as Parameters<typeof sign>[0], api.token, new Date());
    const team = (await db.team.findFirstOrThrow({ orderBy: { id: 'asc' } })).id;
    const application = (await db.formResponse.findFirstOrThrow({ where: { formId: 'application' }, orderBy: { id: 'desc' } })).id;
    const calls: Array<[string, 'GET' | 'POST', string]> = [
      ['session (texts and labels)', 'GET', '/session'],
      [`applications, first page of 50 (of ${int(applications)})`, 'GET', '/applications'],
      ['applications, sorted by name, page 10', 'GET', '/applications?sort=name&page=10'],
      ['applications, filtered by country and language', 'GET', '/applications?country=Latvia&language=en'],
      ['one application in full', 'GET', `/applications/${application}`],
      [`matching board (${teams} teams)`, 'GET', '/matching'],
      [`best mentors of one team (of ${int(applications)})`, 'GET', `/matching/teams/${team}`],
      [`whole-pool proposal (${teams} × ${int(applications)})`, 'GET', '/matching/proposal'],
    ];
    const rows: Table['rows'] = [];
    // One call of each first, so that lazy imports and the JIT are not counted.
    for (const [, method, apiPath] of calls) await timed(base, auth, method, apiPath, 1);
    for (const [what, method, apiPath] of calls) {
      progress(what);
      const result = await timed(base, auth, method, apiPath, what.startsWith('whole-pool') ? Math.min(3, repeats) : repeats);
      rows.push([what, ms(result.ms), int(result.bytes), result.status]);
    }
    progress('the page in Chromium');
    const painted = await paint(base, auth, team, { applications, teams }).catch((error: Error): Array<[string, string]> => [['page in Chromium', `failed: ${error.message.split('\n')[0]}`]]);
    // The dashboard with every team paired (pairs written directly: publishing would message 200 teams).
    const programmeId = (await db.programme.findFirstOrThrow()).id;
    const mentors = await db.mentor.findMany({ take: teams, orderBy: { id: 'asc' } });
    const teamRows = await db.team.findMany({ orderBy: { id: 'asc' } });
    await db.pair.createMany({ data: teamRows.map((t, k) => ({ programmeId, mentorId: mentors[k]!.id, teamId: t.id, createdById: mentors[0]!.personId, publishedAt: new Date(Date.now() - 40 * 86_400_000) })) });
    await timed(base, auth, 'GET', '/dashboard', 1);
    const dashboard = await timed(base, auth, 'GET', '/dashboard', repeats);
    rows.push([`dashboard (${teams} pairs, 6 months)`, ms(dashboard.ms), int(dashboard.bytes), dashboard.status]);
    return [
      {
        title: `Coordinator console: API response times (${int(applications)} applications, ${teams} teams × ${int(applications)} mentors)`,
        columns: ['request', 'median ms', 'bytes', 'status'],
        rows,
        notes: [
          `median of ${repeats} calls after one warm-up call each (3 for the proposal), over loopback, SQLite, the coordinator's signed init data checked on each`,
          'lists are paged on the server: the table gets 50 rows, the board gets teams only; candidates come per team when it is opened',
        ],
      },
      {
        title: 'Coordinator console: the page in Chromium (desktop size)',
        columns: ['what', 'ms'],
        rows: painted,
        notes: ['headless Debian Chromium via playwright-core; from the page address to the rows being in the document, API calls included'],
      },
    ];
  } finally {
    await app.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
