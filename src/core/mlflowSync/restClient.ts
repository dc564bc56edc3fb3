/**
 * A small client of the MLflow REST API 2.0 over Node's fetch: only the endpoints sync needs.
 * Every failure becomes an MlflowError with a message that names the server and the endpoint;
 * rate limits and server errors are retried a few times with back-off before giving up.
 */
import { authorizationHeader, type TrackingServer } from './trackingServer';
import { errorFromFetchFailure, errorFromResponse, MlflowError } from './mlflowErrors';
import type {
  Page, WireExperiment, WireFileInfo, WireKeyValue, WireMetric, WireModelVersion, WireRegisteredModel, WireRun, WireRunStatus,
} from './mlflowTypes';

export interface RestClientOptions {
  /** Per request; artifacts get four times as long. Default 30 s. */
  timeoutMs?: number;
  /** Attempts for a request answered with 429 or 5xx. Default 4. */
  attempts?: number;
  /** Waits between attempts (tests shorten them). */
  backoffMs?: (attempt: number) => number;
  fetch?: typeof fetch;
}

export interface LogBatchRequest {
  run_id: string;
  metrics: WireMetric[];
  params: WireKeyValue[];
  tags: WireKeyValue[];
}

const API = '/api/2.0/mlflow';
const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';

export class MlflowRestClient {
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly fetchFn: typeof fetch;
  /** Requests sent, for progress reports and benchmarks. */
  requests = 0;

  constructor(readonly server: TrackingServer, opts: RestClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.attempts = opts.attempts ?? 4;
    this.backoffMs = opts.backoffMs ?? ((attempt) => Math.min(8000, 500 * 2 ** attempt));
    this.fetchFn = opts.fetch ?? fetch;
  }

  // -- experiments --

  /** The experiment of that name, or undefined when the server has none. */
  async getExperimentByName(name: string): Promise<WireExperiment | undefined> {
    try {
      const r = await this.get<{ experiment: WireExperiment }>('experiments/get-by-name', { experiment_name: name });
      return r.experiment;
    } catch (e) {
      if (e instanceof MlflowError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async createExperiment(name: string): Promise<string> {
    return (await this.post<{ experiment_id: string }>('experiments/create', { name })).experiment_id;
  }

  async searchExperiments(pageToken?: string): Promise<Page<WireExperiment>> {
    const r = await this.post<{ experiments?: WireExperiment[]; next_page_token?: string }>('experiments/search', {
      max_results: 1000, view_type: 'ACTIVE_ONLY', ...(pageToken ? { page_token: pageToken } : {}),
    });
    return { items: r.experiments ?? [], nextPageToken: r.next_page_token || undefined };
  }

  // -- runs --

  async createRun(req: { experimentId: string; runName: string; startTimeMs: number; userId?: string; tags: WireKeyValue[] }): Promise<WireRun> {
    const r = await this.post<{ run: WireRun }>('runs/create', {
      experiment_id: req.experimentId, run_name: req.runName, start_time: req.startTimeMs, tags: req.tags,
      ...(req.userId ? { user_id: req.userId } : {}),
    });
    return r.run;
  }

  async getRun(runId: string): Promise<WireRun> {
    return (await this.get<{ run: WireRun }>('runs/get', { run_id: runId })).run;
  }

  async updateRun(req: { runId: string; status?: WireRunStatus; endTimeMs?: number; runName?: string }): Promise<void> {
    await this.post('runs/update', {
      run_id: req.runId, ...(req.status ? { status: req.status } : {}), ...(req.endTimeMs !== undefined ? { end_time: req.endTimeMs } : {}),
      ...(req.runName !== undefined ? { run_name: req.runName } : {}),
    });
  }

  async logBatch(req: LogBatchRequest): Promise<void> {
    await this.post('runs/log-batch', req);
  }

  async searchRuns(req: { experimentIds: string[]; filter?: string; pageToken?: string; maxResults?: number }): Promise<Page<WireRun>> {
    const r = await this.post<{ runs?: WireRun[]; next_page_token?: string }>('runs/search', {
      experiment_ids: req.experimentIds, max_results: req.maxResults ?? 1000, run_view_type: 'ACTIVE_ONLY',
      ...(req.filter ? { filter: req.filter } : {}), ...(req.pageToken ? { page_token: req.pageToken } : {}),
    });
    return { items: r.runs ?? [], nextPageToken: r.next_page_token || undefined };
  }

  /** One page of a metric's history (the server's page size is at most 25,000). */
  async getMetricHistoryPage(runId: string, key: string, pageToken?: string, maxResults = 25_000): Promise<Page<WireMetric>> {
    const r = await this.get<{ metrics?: WireMetric[]; next_page_token?: string }>('metrics/get-history', {
      run_id: runId, metric_key: key, max_results: String(maxResults), ...(pageToken ? { page_token: pageToken } : {}),
    });
    return { items: r.metrics ?? [], nextPageToken: r.next_page_token || undefined };
  }

  /** A metric's whole history, page by page. */
  async getMetricHistory(runId: string, key: string): Promise<WireMetric[]> {
    const out: WireMetric[] = [];
    let token: string | undefined;
    do {
      const page = await this.getMetricHistoryPage(runId, key, token);
      for (const m of page.items) out.push(m);
      token = page.nextPageToken;
    } while (token);
    return out;
  }

  // -- model registry --

  async getRegisteredModel(name: string): Promise<WireRegisteredModel | undefined> {
    try {
      return (await this.get<{ registered_model: WireRegisteredModel }>('registered-models/get', { name })).registered_model;
    } catch (e) {
      if (e instanceof MlflowError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async createRegisteredModel(name: string, description?: string): Promise<WireRegisteredModel> {
    return (await this.post<{ registered_model: WireRegisteredModel }>('registered-models/create', { name, ...(description ? { description } : {}) })).registered_model;
  }

  async searchRegisteredModels(pageToken?: string): Promise<Page<WireRegisteredModel>> {
    const r = await this.get<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>('registered-models/search', {
      max_results: '1000', ...(pageToken ? { page_token: pageToken } : {}),
    });
    return { items: r.registered_models ?? [], nextPageToken: r.next_page_token || undefined };
  }

  async searchModelVersions(modelName: string, pageToken?: string): Promise<Page<WireModelVersion>> {
    const r = await this.get<{ model_versions?: WireModelVersion[]; next_page_token?: string }>('model-versions/search', {
      filter: `name = '${modelName.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`, max_results: '10000', ...(pageToken ? { page_token: pageToken } : {}),
    });
    return { items: r.model_versions ?? [], nextPageToken: r.next_page_token || undefined };
  }

  async createModelVersion(req: { name: string; source: string; runId?: string; description?: string; tags: WireKeyValue[] }): Promise<WireModelVersion> {
    return (await this.post<{ model_version: WireModelVersion }>('model-versions/create', {
      name: req.name, source: req.source, tags: req.tags, ...(req.runId ? { run_id: req.runId } : {}), ...(req.description ? { description: req.description } : {}),
    })).model_version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.post('registered-models/alias', { name, alias, version });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.request('DELETE', 'registered-models/alias', { query: { name, alias } });
  }

  // -- artifacts (through the server's artifact proxy: `mlflow server --serve-artifacts`, the default) --

  /** Uploads a file to `<artifact root of the run>/<relPath>`; `artifactUri` is the run's `mlflow-artifacts:/…` URI. */
  async uploadArtifact(artifactUri: string, relPath: string, body: Buffer): Promise<void> {
    await this.request('PUT', `${proxiedArtifactPath(artifactUri)}/${encodePath(relPath)}`, {
      raw: true, body, contentType: 'application/octet-stream', timeoutMs: this.timeoutMs * 4,
    });
  }

  async downloadArtifact(artifactUri: string, relPath: string): Promise<Buffer> {
    return this.request('GET', `${proxiedArtifactPath(artifactUri)}/${encodePath(relPath)}`, { raw: true, binary: true, timeoutMs: this.timeoutMs * 4 }) as Promise<Buffer>;
  }

  async listArtifacts(runId: string, dir?: string): Promise<WireFileInfo[]> {
    const r = await this.get<{ files?: WireFileInfo[] }>('artifacts/list', { run_id: runId, ...(dir ? { path: dir } : {}) });
    return r.files ?? [];
  }

  // -- plumbing --

  private get<T>(endpoint: string, query: Record<string, string>): Promise<T> {
    return this.request('GET', endpoint, { query }) as Promise<T>;
  }

  private post<T = unknown>(endpoint: string, body: unknown): Promise<T> {
    return this.request('POST', endpoint, { body: JSON.stringify(body), contentType: 'application/json' }) as Promise<T>;
  }

  private async request(method: string, endpoint: string, opts: {
    query?: Record<string, string>; body?: string | Buffer; contentType?: string; raw?: boolean; binary?: boolean; timeoutMs?: number;
  }): Promise<unknown> {
    const path = opts.raw ? endpoint : `${API}/${endpoint}`;
    const url = new URL(this.server.uri + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const auth = authorizationHeader(this.server);
    if (auth) headers.Authorization = auth;
    if (opts.contentType) headers['Content-Type'] = opts.contentType;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const label = opts.raw ? `${method} ${endpoint.split('/').slice(0, 6).join('/')}` : endpoint;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      this.requests++;
      try {
        response = await this.fetchFn(url, { method, headers, body: opts.body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (e) {
        const error = errorFromFetchFailure(this.server.uri, label, e, timeoutMs);
        // A connection reset mid-way is worth another try; a refused connection is not.
        if (attempt + 1 < this.attempts && /ECONNRESET|UND_ERR_SOCKET/.test(error.message)) {
          await sleep(this.backoffMs(attempt));
          continue;
        }
        throw error;
      }
      if (response.ok) {
        if (opts.binary) return Buffer.from(await response.arrayBuffer());
        const text = await response.text();
        if (text.trim() === '') return {};
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new MlflowError('server', `${label} on ${this.server.uri} answered with something that is not JSON (is this an MLflow tracking server?): ${text.slice(0, 120)}`, response.status);
        }
      }
      const text = await response.text().catch(() => '');
      const error = errorFromResponse(this.server.uri, label, response.status, text);
      const retryable = response.status === 429 || response.status === 502 || response.status === 503 || response.status === 504
        || (response.status === 500 && error.code !== 'INVALID_PARAMETER_VALUE');
      if (!retryable || attempt + 1 >= this.attempts) throw error;
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : this.backoffMs(attempt));
    }
  }
}

/** `mlflow-artifacts:/1/<run>/artifacts` → `/api/2.0/mlflow-artifacts/artifacts/1/<run>/artifacts`. */
export function proxiedArtifactPath(artifactUri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri);
  if (!m) throw new MlflowError('invalid', `artifacts of this run live at ${artifactUri}, which the server does not proxy`);
  return `${ARTIFACTS_API}/${m[1]!.replace(/\/+$/, '')}`;
}

/** True when the run's artifacts can be sent through the tracking server itself. */
export function serverProxiesArtifacts(artifactUri: string | undefined): boolean {
  return artifactUri !== undefined && artifactUri.startsWith('mlflow-artifacts:');
}

function encodePath(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
