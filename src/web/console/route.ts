import type { Actor } from '../../actor.js';
import type { ApiResponse } from '../form-api.js';
import { plainText } from '../form-view.js';

export interface RouteInput {
  /** The pattern's groups, in order. */
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

export interface ConsoleRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** Matched against the path after /app/api. */
  pattern: RegExp;
  /** A path this route answers, for the tests that call every endpoint. */
  example: string;
  handle(actor: Actor, input: RouteInput): Promise<ApiResponse>;
}

export const ok = (body: unknown): ApiResponse => ({ status: 200, body });

/** Bad input: a clear message in the coordinator's language. */
export function refused(status: number, error: string, message: string): ApiResponse {
  return { status, body: { error, message: plainText(message) } };
}

/** Positive whole numbers from a request body, at most `max` of them; undefined when anything else was sent. */
export function idList(value: unknown, max: number): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > max) return undefined;
  if (!value.every((v) => Number.isSafeInteger(v) && v > 0)) return undefined;
  return [...new Set(value as number[])];
}

export function bodyOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
