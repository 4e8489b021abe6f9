import { it } from 'vitest';
import { COORDINATOR_ID } from '../support/application.js';
import { startTestBot } from '../support/test-bot.js';
import type { TelegramUser } from '../support/telegram-user.js';

const out: string[] = [];
async function step(who: string, user: TelegramUser, action: string, run: () => Promise<{ texts: string[]; callbackAnswer?: string }>) {
  const r = await run();
  out.push(`\n>>> ${who}: ${action}`);
  for (const t of r.texts) out.push(t);
  if (r.callbackAnswer) out.push(`[alert] ${r.callbackAnswer}`);
  out.push(`[buttons] ${user.buttons().join(' | ')}`);
}

it('walk', async () => {
  const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) } });
  const c = bot.user({ id: COORDINATOR_ID, first_name: 'Iryna', language_code: 'pl' });
  await step('coord', c, '/start', () => c.send('/start'));
  await step('coord', c, '/newteam', () => c.send('/newteam'));
  await step('coord', c, 'kind 0', () => c.pressCallback('f|c|kind|0'));
  await step('coord', c, 'name', () => c.send('Gmina Żółkiew'));
  await step('coord', c, 'country', () => c.send('Ukraina'));
  await step('coord', c, 'skip region', () => c.pressCallback('f|k|region|'));
  await step('coord', c, 'pop', () => c.send('13 000'));
  await step('coord', c, 'contact', () => c.send('Oksana Melnyk'));
  await step('coord', c, 'skip email', () => c.pressCallback('f|k|contact_email|'));
  const reg = await c.pressCallback('f|s|review|');
  out.push('\n>>> coord: submit', ...reg.texts);
  const code = /start=team_([\w-]+)/.exec(reg.text)![1]!;
  const m = bot.user({ id: 401, first_name: 'Olena', language_code: 'pl' });
  await step('member', m, 'invite', () => m.send(`/start team_${code}`));
  await step('member', m, 'join', () => m.pressCallback(`tj|${code}`));
  await step('member', m, '/help', () => m.send('/help'));
  await step('member', m, '/team', () => m.send('/team'));
  const b = m.buttons();
  if (b[0]) await step('member', m, `press ${b[0]}`, () => m.press(b[0]!));
  await step('member', m, 'answer text', () => m.send('Nasza gmina potrzebuje wsparcia w pozyskiwaniu grantów.'));
  await step('member', m, 'sticker', () => m.sendSticker());
  await step('member', m, '/help mid', () => m.send('/help'));
  await step('member', m, '/start mid', () => m.send('/start'));
  await step('member', m, '/cancel', () => m.send('/cancel'));
  await step('member', m, '/team again', () => m.send('/team'));
  const m2 = bot.user({ id: 402, first_name: 'Taras', language_code: 'uk' });
  await step('member2', m2, 'invite', () => m2.send(`/start team_${code}`));
  await step('member2', m2, 'join', () => m2.pressCallback(`tj|${code}`));
  await step('member2', m2, '/team', () => m2.send('/team'));
  await step('coord', c, '/teams', () => c.send('/teams'));
  await step('member', m, '/myapplication', () => m.send('/myapplication'));
  await step('member', m, '/apply', () => m.send('/apply'));
  await step('member', m, '/plan', () => m.send('/plan'));
  await step('member', m, '/log', () => m.send('/log'));
  await step('member', m, 'random text', () => m.send('hej'));
  console.log(out.join('\n'));
}, 120_000);
