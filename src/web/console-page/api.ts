/// <reference lib="dom" />
/** The console's calls to the bot's API, with the signed init data Telegram gave the page. */

let initData = '';

export function setInitData(value: string): void {
  initData = value;
}

export interface ApiResult {
  status: number;
  body: any;
}

export async function call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<ApiResult> {
  try {
    const response = await fetch(`/app/api/console${path}`, {
      method,
      headers: { Authorization: `tma ${initData}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => ({})) };
  } catch {
    return { status: 0, body: {} };
  }
}
