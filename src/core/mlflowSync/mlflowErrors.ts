/**
 * What can go wrong talking to an MLflow server, sorted into the kinds a person acts on
 * differently: sign in again, wait or send less, start the server, fix the input.
 */

export type MlflowErrorKind =
  /** 401 / 403: no or wrong credentials. */
  | 'auth'
  /** 429, or a request over one of the server's limits. */
  | 'limit'
  /** Nothing answered: refused, unknown host, timed out. */
  | 'unreachable'
  /** RESOURCE_DOES_NOT_EXIST and plain 404s. */
  | 'not-found'
  /** The server rejected a value (INVALID_PARAMETER_VALUE, INVALID_STATE, RESOURCE_ALREADY_EXISTS…). */
  | 'invalid'
  /** 5xx, or an answer that is not MLflow's JSON (a proxy's page, a different service). */
  | 'server';

export class MlflowError extends Error {
  constructor(
    readonly kind: MlflowErrorKind,
    message: string,
    readonly status: number | null = null,
    /** MLflow's error_code, e.g. RESOURCE_DOES_NOT_EXIST. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

/** Thrown when the person cancelled: the work stopped after the request in flight. */
export class SyncCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'SyncCancelled';
  }
}

/** Sorts an HTTP answer that was not OK into an MlflowError with a readable message. */
export function errorFromResponse(serverUri: string, endpoint: string, status: number, bodyText: string): MlflowError {
  let code: string | null = null;
  let detail = bodyText.trim();
  try {
    const body = JSON.parse(bodyText) as { error_code?: unknown; message?: unknown };
    if (typeof body.error_code === 'string') code = body.error_code;
    if (typeof body.message === 'string') detail = body.message;
  } catch {
    // Not MLflow's JSON error: keep the start of the text (an HTML page from a proxy, say).
    detail = detail.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  }
  const what = `${endpoint} on ${serverUri}`;
  if (status === 401 || status === 403 || code === 'UNAUTHENTICATED' || code === 'PERMISSION_DENIED') {
    return new MlflowError('auth', `the MLflow server refused ${what} (HTTP ${status}${detail ? `: ${detail}` : ''}); `
      + 'check the token (MLFLOW_TRACKING_TOKEN, or "ExpTrack: Set MLflow Token") or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD', status, code);
  }
  if (status === 429 || code === 'REQUEST_LIMIT_EXCEEDED' || code === 'RESOURCE_EXHAUSTED') {
    return new MlflowError('limit', `the MLflow server is limiting requests (${what}, HTTP ${status}${detail ? `: ${detail}` : ''})`, status, code);
  }
  if (code === 'RESOURCE_DOES_NOT_EXIST' || status === 404) {
    return new MlflowError('not-found', `${what}: ${detail || 'not found'} (HTTP ${status})`, status, code);
  }
  if (status >= 500) return new MlflowError('server', `the MLflow server failed on ${what} (HTTP ${status}${detail ? `: ${detail}` : ''})`, status, code);
  return new MlflowError('invalid', `the MLflow server rejected ${what} (HTTP ${status}${code ? ` ${code}` : ''}): ${detail}`, status, code);
}

/** An error from fetch itself (no HTTP answer) as an MlflowError of kind 'unreachable'. */
export function errorFromFetchFailure(serverUri: string, endpoint: string, e: unknown, timeoutMs: number): MlflowError {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new MlflowError('unreachable', `the MLflow server at ${serverUri} did not answer ${endpoint} within ${Math.round(timeoutMs / 1000)} s`);
  }
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  return new MlflowError('unreachable', `cannot reach the MLflow server at ${serverUri} (${cause}); is it running, and is the URI right?`);
}
