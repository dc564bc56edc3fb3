/**
 * Where the MLflow tracking server is and how to sign in to it, the way MLflow's own client reads
 * it: a URI (`MLFLOW_TRACKING_URI` or a setting), a bearer token (`MLFLOW_TRACKING_TOKEN`) or a
 * user name and password (`MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`).
 */

export interface TrackingServer {
  /** http(s) base URI without credentials and without a trailing slash, e.g. `http://127.0.0.1:5000`. */
  uri: string;
  token?: string;
  username?: string;
  password?: string;
}

export class TrackingUriError extends Error {}

/**
 * Checks and normalises a tracking URI. Credentials written into the URI (`http://user:pw@host`)
 * are taken out of it and returned as basic auth, so the URI can be shown and stored safely.
 */
export function parseTrackingUri(raw: string): TrackingServer {
  const text = raw.trim();
  if (text === '') throw new TrackingUriError('no MLflow tracking URI is set (e.g. http://127.0.0.1:5000)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TrackingUriError(`"${text}" is not a URI; an MLflow tracking server is reached over http, e.g. http://127.0.0.1:5000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TrackingUriError(`"${text}" is not an http(s) URI: only MLflow tracking servers are synced (a local mlruns/ folder is read directly by the index)`);
  }
  const server: TrackingServer = { uri: '' };
  if (url.username) server.username = decodeURIComponent(url.username);
  if (url.password) server.password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  url.hash = '';
  url.search = '';
  server.uri = url.toString().replace(/\/+$/, '');
  return server;
}

/** The server from a URI and the environment variables MLflow's client reads. */
export function trackingServerFromEnv(uri: string | undefined, env: NodeJS.ProcessEnv = process.env): TrackingServer {
  const server = parseTrackingUri(uri ?? env.MLFLOW_TRACKING_URI ?? '');
  if (env.MLFLOW_TRACKING_TOKEN) server.token = env.MLFLOW_TRACKING_TOKEN;
  if (env.MLFLOW_TRACKING_USERNAME) server.username = env.MLFLOW_TRACKING_USERNAME;
  if (env.MLFLOW_TRACKING_PASSWORD) server.password = env.MLFLOW_TRACKING_PASSWORD;
  return server;
}

/** The Authorization header for the server's credentials, if it has any. */
export function authorizationHeader(server: TrackingServer): string | undefined {
  if (server.token) return `Bearer ${server.token}`;
  if (server.username !== undefined || server.password !== undefined) {
    return `Basic ${Buffer.from(`${server.username ?? ''}:${server.password ?? ''}`, 'utf8').toString('base64')}`;
  }
  return undefined;
}

/** The MLflow UI's page of a run: where a pulled run says it came from. */
export function runPageUri(server: TrackingServer, experimentId: string, runId: string): string {
  return `${server.uri}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
}
