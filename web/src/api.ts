import type { FieldProblem } from './types';

/** An error answered by Plinth in its one error shape: {error, code, details, correlationId}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly correlationId?: string,
    readonly retryAfter?: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => {};

/** The CSRF token of the session (from the login or /_auth/me); sent with every unsafe request. */
export function setCsrfToken(token: string | null | undefined) {
  csrfToken = token ?? null;
}

/** What to do when the session has ended (a 401 on any call): the app shows the login screen. */
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
  /** Do not treat 401 as "session ended" (the login call itself). */
  quiet401?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  etag: string | null;
}

/** Calls Plinth's API with the session cookie, the CSRF token on unsafe methods, and JSON both ways. */
export async function request<T>(url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'Plinth could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const body = (json ?? {}) as { error?: string; code?: string; details?: FieldProblem[]; correlationId?: string };
    if (response.status === 401 && !options.quiet401) {
      onUnauthenticated();
    }
    throw new ApiError(
      response.status,
      body.code ?? `HTTP_${response.status}`,
      body.error ?? `The request failed with status ${response.status}.`,
      body.details ?? [],
      body.correlationId,
      response.headers.get('Retry-After'),
    );
  }
  return { status: response.status, body: json as T, etag: response.headers.get('ETag') };
}

export async function get<T>(url: string): Promise<T> {
  return (await request<T>(url)).body;
}

/** A readable sentence for any error, with the correlation ID to quote to an operator. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.correlationId ? `${error.message} (correlation ID ${error.correlationId})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The API's URL of a resource's records, or of one record. */
export function recordsUrl(path: string, id?: string): string {
  return `/api/v1/${encodeURIComponent(path)}${id ? `/${encodeURIComponent(id)}` : ''}`;
}
