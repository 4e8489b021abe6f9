/**
 * N people fill in the mentor application at the same moment, each answering as
 * soon as the bot has answered the previous step. The real bot (loadConfig +
 * startApp, SQLite, every answer saved) and a minimal grammY echo bot (the
 * framework's floor) run the same sequence of updates against the fake Telegram
 * server, one after the other in this run.
 */
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { type BotKind, type BotProcess, startBotProcess } from './support/bot-process.js';
import { applicationSteps, COORDINATOR_ID, createDriver, openCallSteps, Person, replyLatencies, type Sent, type Step } from './support/people.js';
import { int, ms, percentile, progress, ratio, type Table } from './support/report.js';

export interface FormOptions {
  people: number;
}

interface RunFigures {
  people: number;
  updates: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  unanswered: number;
  failedPeople: number;
  handlerP50: number;
  handlerP99: number;
  /** The bot process's CPU time (user + system) during the measured run, per update handled. */
  cpuMsPerUpdate: number;
  /** Bot API calls (but getUpdates) the bot made during the measured run, per update handled. */
  callsPerUpdate: number;
  submitted?: number;
  errors: number;
  /** Update → first reply p99 by kind of update, ms. */
  p99ByKind: Record<UpdateKind, number>;
  /** SQL per update by kind, for the warm-up person alone (the real bot only): statements and transactions, p50 and max. */
  sql?: Record<UpdateKind, SqlFigures>;
  /** SQL statements and transactions per update in the measured run, on average (total / updates). */
  sqlMean?: { statements: number; transactions: number };
}

type UpdateKind = 'all' | 'command' | 'text' | 'press' | 'submit';

interface SqlFigures {
  updates: number;
  statementsP50: number;
  statementsMax: number;
  transactionsP50: number;
  transactionsMax: number;
}

/** Groups updates by kind: /apply, a typed answer, a button press, the final submit (each person's last update). */
function byKind<T>(sent: readonly Sent[], value: (s: Sent) => T | undefined): Record<UpdateKind, T[]> {
  const last = new Map<number, number>();
  for (const s of sent) last.set(s.chatId, s.updateId);
  const groups: Record<UpdateKind, T[]> = { all: [], command: [], text: [], press: [], submit: [] };
  for (const s of sent) {
    const v = value(s);
    if (v === undefined) continue;
    groups.all.push(v);
    groups[last.get(s.chatId) === s.updateId && s.kind === 'press' ? 'submit' : s.kind].push(v);
  }
  return groups;
}

/** Statements per update, overall and by kind (see byKind). */
function sqlFigures(sent: readonly Sent[], counts: BotProcess['sql']): Record<UpdateKind, SqlFigures> {
  const groups = byKind(sent, (s) => counts.get(s.updateId));
  const figures = (counts: Array<{ statements: number; transactions: number }>): SqlFigures => ({
    updates: counts.length,
    statementsP50: percentile(counts.map((c) => c.statements), 50),
    statementsMax: percentile(counts.map((c) => c.statements), 100),
    transactionsP50: percentile(counts.map((c) => c.transactions), 50),
    transactionsMax: percentile(counts.map((c) => c.transactions), 100),
  });
  return {
    all: figures(groups.all),
    command: figures(groups.command),
    text: figures(groups.text),
    press: figures(groups.press),
    submit: figures(groups.submit),
  };
}

function sqlCell(f: SqlFigures | undefined): string {
  if (!f || f.updates === 0) return '—';
  return `${f.statementsP50} / ${f.statementsMax} (tx ${f.transactionsP50} / ${f.transactionsMax})`;
}

async function runBot(kind: BotKind, people: number): Promise<RunFigures> {
  const api = await new FakeBotApi().start();
  const bot = await startBotProcess(kind, api, { ADMIN_IDS: String(COORDINATOR_ID) });
  try {
    const setup = createDriver(api, (id) => bot.handled(id), { forgeButtons: kind === 'echo' });
    if (kind === 'citymentor') await new Person(setup, COORDINATOR_ID, 'Iryna').run(openCallSteps());
    // One person alone first, so that start-up costs (lazy imports, JIT) are not counted.
    // Alone, each statement the bot sends belongs to this person's update: the SQL per kind of update is taken here.
    const warmUp = createDriver(api, (id) => bot.handled(id), { forgeButtons: kind === 'echo' });
    await new Person(warmUp, 99_999).run(applicationSteps('Warm Up'));

    const driver = createDriver(api, (id) => bot.handled(id), { forgeButtons: kind === 'echo' });
    const handlerStart = bot.handlerMs.length;
    await bot.countPerUpdate(false);
    // BENCH_CPU_PROF=<folder>: also a profile of the timed run alone, as <bot>-timed.cpuprofile.
    const profileDir = process.env.BENCH_CPU_PROF;
    if (profileDir) await bot.profile();
    const before = await bot.memory();
    const cpuBefore = before.cpuMs;
    const callsBefore = api.calls.length;
    const crowd = Array.from({ length: people }, (_, k) => new Person(driver, 100_000 + k));
    const started = performance.now();
    const results = await Promise.allSettled(crowd.map((person, k) => person.run(applicationSteps(`Mentor ${k + 1}`))));
    const seconds = (performance.now() - started) / 1000;
    const after = await bot.memory();
    const cpuMs = after.cpuMs - cpuBefore;
    if (profileDir) await bot.profile(path.resolve(profileDir, `${kind}-timed.cpuprofile`));
    const calls = api.calls.slice(callsBefore).filter((c) => c.method !== 'getUpdates').length;
    const failedPeople = results.filter((r) => r.status === 'rejected').length;
    const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (firstFailure) progress(`${kind}: ${failedPeople} people could not finish, e.g. ${String(firstFailure.reason)}`);

    const { latencies, unanswered, byUpdate } = replyLatencies(api, driver.sent);
    const latencyGroups = byKind(driver.sent, (s) => byUpdate.get(s.updateId));
    const p99ByKind = Object.fromEntries(Object.entries(latencyGroups).map(([kind, values]) => [kind, percentile(values, 99)])) as Record<UpdateKind, number>;
    const handlerMs = bot.handlerMs.slice(handlerStart);
    const updates = driver.sent.filter((s) => s.handledAt !== undefined).length;
    const sql = kind === 'citymentor' ? sqlFigures(warmUp.sent, bot.sql) : undefined;
    const sqlMean =
      after.sql && before.sql && updates > 0
        ? { statements: (after.sql.statements - before.sql.statements) / updates, transactions: (after.sql.transactions - before.sql.transactions) / updates }
        : undefined;
    await bot.stop();

    let submitted: number | undefined;
    if (kind === 'citymentor') {
      const db = await openDatabase(loadConfig({ BOT_TOKEN: api.token, DATABASE_URL: bot.databaseUrl }).database);
      // The warm-up person's application is not counted.
      submitted = (await db.formResponse.count({ where: { formId: 'application', status: 'submitted' } })) - 1;
      await db.$disconnect();
    }
    return {
      people,
      updates,
      seconds,
      perSecond: updates / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      p99ByKind,
      unanswered,
      failedPeople,
      handlerP50: percentile(handlerMs, 50),
      handlerP99: percentile(handlerMs, 99),
      cpuMsPerUpdate: cpuMs / updates,
      callsPerUpdate: calls / updates,
      submitted,
      errors: bot.errors.length,
      sql,
      sqlMean,
    };
  } finally {
    await bot.remove();
    await api.close();
  }
}

export async function formThroughput(options: FormOptions): Promise<Table[]> {
  const steps: Step[] = applicationSteps('x');
  progress(`echo bot: ${options.people} people × ${steps.length} updates`);
  const echo = await runBot('echo', options.people);
  progress(`CityMentor: ${options.people} people × ${steps.length} updates`);
  const real = await runBot('citymentor', options.people);
  return [
    {
      title: `Form throughput and latency: ${options.people} people fill in the mentor application at once`,
      columns: ['', 'grammY echo bot', 'CityMentor', 'CityMentor vs echo'],
      rows: [
        ['people at once', echo.people, real.people, ''],
        ['updates handled', int(echo.updates), int(real.updates), ''],
        ['wall time, s', ms(echo.seconds, 2), ms(real.seconds, 2), ratio(real.seconds, echo.seconds)],
        ['updates per second', ms(echo.perSecond), ms(real.perSecond), ratio(real.perSecond, echo.perSecond)],
        ['update → first reply p50, ms', ms(echo.p50), ms(real.p50), ratio(real.p50, echo.p50)],
        ['update → first reply p99, ms', ms(echo.p99), ms(real.p99), ratio(real.p99, echo.p99)],
        ['update → first reply max, ms', ms(echo.max), ms(real.max), ratio(real.max, echo.max)],
        ...(['text', 'press', 'command', 'submit'] as const).map((kind): Table['rows'][number] => [
          `… p99 of ${{ text: 'typed answers', press: 'button presses (but Submit)', command: '/apply', submit: 'Submit' }[kind]}, ms`,
          ms(echo.p99ByKind[kind]),
          ms(real.p99ByKind[kind]),
          '',
        ]),
        ['handler time p50 / p99, ms (bot\'s own log)', `${ms(echo.handlerP50, 0)} / ${ms(echo.handlerP99, 0)}`, `${ms(real.handlerP50, 0)} / ${ms(real.handlerP99, 0)}`, ''],
        ['bot process CPU time per update, ms', ms(echo.cpuMsPerUpdate, 2), ms(real.cpuMsPerUpdate, 2), ratio(real.cpuMsPerUpdate, echo.cpuMsPerUpdate)],
        ['Bot API calls per update (but getUpdates)', ms(echo.callsPerUpdate, 2), ms(real.callsPerUpdate, 2), ''],
        ['SQL statements per update, one person alone, p50 / max (transactions p50 / max): all', '—', sqlCell(real.sql?.all), ''],
        ['… /apply', '—', sqlCell(real.sql?.command), ''],
        ['… a typed answer', '—', sqlCell(real.sql?.text), ''],
        ['… a button press (but Submit)', '—', sqlCell(real.sql?.press), ''],
        ['… Submit', '—', sqlCell(real.sql?.submit), ''],
        [
          `SQL statements per update, ${options.people} at once, mean (transactions)`,
          '—',
          real.sqlMean ? `${ms(real.sqlMean.statements, 1)} (tx ${ms(real.sqlMean.transactions, 2)})` : '—',
          '',
        ],
        ['applications submitted', '—', real.submitted ?? '—', ''],
        ['updates without a reply', echo.unanswered, real.unanswered, ''],
        ['people who could not finish', echo.failedPeople, real.failedPeople, ''],
        ['error lines in the bot\'s log', echo.errors, real.errors, ''],
      ],
      notes: [
        `each person sends ${steps.length} updates (/apply, ${steps.filter((s) => 'text' in s).length - 1} texts, ${steps.filter((s) => 'press' in s).length} button presses) and waits for the bot to finish each before the next; no think time`,
        'CPU time per update: user + system time of the bot\'s process over the measured run (process.cpuUsage), divided by the updates handled; it moves less with what else the machine is doing than wall time does, but it still grows on a busy machine (shared caches): compare runs on a quiet one',
        'update → first reply: from the fake server handing the update out in getUpdates to the first Bot API call the bot makes for that chat or callback (both times taken by the fake server)',
        'each bot runs in its own process (polling with @grammyjs/runner) against its own fresh fake server on loopback; the fake server and the simulated people share the benchmark process',
        'a warm-up person fills in the whole form alone before the measured run; the coordinator opens the call first (not counted)',
        'SQL statements: counted by the bot at the driver adapter per update (its "update handled" log line); BEGIN/COMMIT/ROLLBACK and savepoints are not statements, each transaction counts once under tx',
        'SQL by kind of update: from the warm-up person, who is alone, counted per update; for the crowd only the mean (all statements the bot sent during the run, divided by the updates handled)',
        'counting SQL per update keeps an async context that every promise of the process pays for: it is switched off for the timed crowd, as it is at the default log level (info)',
        'CityMentor: SQLite in a temporary file, LOG_LEVEL=debug (the "update handled" line the driver waits for), RATE_LIMIT_PER_MINUTE raised so the flood limit does not drop answers',
      ],
    },
  ];
}
