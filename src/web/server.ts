import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { projectRoot } from '../db/paths.js';
import { handleConsoleApi } from './console-api.js';
import { type FormApiContext, handleFormApi } from './form-api.js';
import { APP_PATH, CONSOLE_PATH } from './open-button.js';
/** The page bundle, built by scripts/build.mjs (esbuild) at npm install and npm start. */
export const pageBundleDir = path.join(projectRoot, 'dist', 'web');

const MAX_BODY_BYTES = 64 * 1024;

/** On every answer: no inline scripts, nothing from elsewhere, not framed by other sites, personal data not cached. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors https://web.telegram.org https://*.telegram.org",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The HTML shell of a page: its style sheet and bundle (dist/web/<bundle>.css and .js), nothing inline. */
function pageHtml(bundle: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>CityMentor</title>
<link rel="stylesheet" href="${APP_PATH}/${bundle}.css">
<script src="${APP_PATH}/${bundle}.js" defer></script>
</head>
<body>
<main id="app" aria-live="polite"><p id="status">…</p></main>
</body>
</html>
`;
}

/** The forms' page (src/web/page). */
const INDEX_HTML = pageHtml('page');
/** The coordinators' console: its own page and bundle (src/web/console-page). */
const CONSOLE_HTML = pageHtml('console');

const STATIC_FILES: Record<string, { file: string; type: string }> = {
  [`${APP_PATH}/page.js`]: { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  [`${APP_PATH}/page.css`]: { file: 'page.css', type: 'text/css; charset=utf-8' },
  [`${APP_PATH}/console.js`]: { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  [`${APP_PATH}/console.css`]: { file: 'console.css', type: 'text/css; charset=utf-8' },
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type }).end(body);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : null);
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', reject);
  });
}

/**
 * The Mini App's routes on the bot's HTTP server: the page, its bundle and its API.
 * Returns false for any other path, which the caller handles (webhook, health).
 */
export function createWebHandler(ctx: FormApiContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    if (pathname !== APP_PATH && !pathname.startsWith(`${APP_PATH}/`)) return false;
    try {
      if (pathname.startsWith(`${APP_PATH}/api/`)) {
        const body = req.method === 'PUT' || req.method === 'POST' ? await readBody(req) : null;
        const apiPath = pathname.slice(`${APP_PATH}/api`.length);
        const request = { method: req.method ?? 'GET', path: apiPath, authorization: req.headers.authorization, body };
        const result = apiPath.startsWith('/console/') ? await handleConsoleApi(ctx, { ...request, query: url.searchParams }) : await handleFormApi(ctx, request);
        send(res, result.status, 'application/json; charset=utf-8', JSON.stringify(result.body));
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
        return true;
      }
      if (pathname === APP_PATH || pathname === `${APP_PATH}/`) {
        send(res, 200, 'text/html; charset=utf-8', INDEX_HTML);
        return true;
      }
      if (pathname === CONSOLE_PATH || pathname === `${CONSOLE_PATH}/`) {
        send(res, 200, 'text/html; charset=utf-8', CONSOLE_HTML);
        return true;
      }
      const asset = STATIC_FILES[pathname];
      const file = asset ? path.join(pageBundleDir, asset.file) : undefined;
      if (asset && file && existsSync(file)) {
        send(res, 200, asset.type, readFileSync(file));
        return true;
      }
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
    } catch (error) {
      ctx.deps.logger.error({ err: error, path: pathname }, 'page request failed');
      if (!res.headersSent) send(res, 500, 'application/json; charset=utf-8', JSON.stringify({ error: 'internal' }));
    }
    return true;
  };
}
