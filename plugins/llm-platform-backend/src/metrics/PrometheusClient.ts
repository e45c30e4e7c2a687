import { PrometheusInstanceConfig } from './config';

/** One series of a range query, values parsed (`NaN`, `+Inf` included). */
export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

/** The step grid a range answer is put on (see timeline.ts). */
export interface GridLike {
  /** Index of timestamp `t`, or -1 when it is off the grid. */
  index(t: number): number;
  /** A new array of the grid's size, all NaN. */
  empty(): Float64Array;
}

/** One series of a range query on the grid, NaN where it has no point. */
export interface GridSeries {
  labels: Record<string, string>;
  values: Float64Array;
}

/** One sample of an instant query. */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

/**
 * A query that failed: Prometheus unreachable, an HTTP error, a timeout or a
 * query error. The message names the instance and never carries credentials.
 */
export class PrometheusQueryError extends Error {
  readonly name = 'PrometheusQueryError';
  constructor(readonly instance: string, readonly reason: string) {
    super(`Prometheus "${instance}": ${reason}`);
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.origin + parsed.pathname.replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

type ApiResponse<T> =
  | { status: 'success'; data: T }
  | { status: 'error'; errorType?: string; error?: string };

/**
 * The HTTP API of one Prometheus (or a compatible server: Thanos, Mimir).
 * Queries are POSTed as forms, so their length never hits a URL limit.
 */
export class PrometheusClient {
  constructor(private readonly instance: PrometheusInstanceConfig) {}

  get name(): string {
    return this.instance.name;
  }

  async queryRange(
    query: string,
    range: { start: number; end: number; step: number },
  ): Promise<RangeSeries[]> {
    const result = await this.matrix(query, range);
    // Values are parsed in place: a 24 h response holds 100,000s of points,
    // and a copy per point is most of the garbage this service makes.
    return result.map(r => {
      const points = r.values as unknown as Array<[number, number]>;
      for (const point of r.values) {
        (point as unknown as [number, number])[1] = Number.parseFloat(point[1]);
      }
      return { labels: r.metric, points };
    });
  }

  /**
   * A range query whose values land on `grid` as soon as the answer is
   * parsed, so the parsed JSON dies young instead of waiting for the other
   * queries of the response (which made most of the garbage collection).
   */
  async queryRangeOnGrid(
    query: string,
    range: { start: number; end: number; step: number },
    grid: GridLike,
  ): Promise<GridSeries[]> {
    const result = await this.matrix(query, range);
    return result.map(r => {
      const values = grid.empty();
      for (const [t, v] of r.values) {
        const i = grid.index(t);
        if (i >= 0) values[i] = Number.parseFloat(v);
      }
      return { labels: r.metric, values };
    });
  }

  private async matrix(
    query: string,
    range: { start: number; end: number; step: number },
  ) {
    const data = await this.post<{
      resultType: string;
      result: Array<{
        metric: Record<string, string>;
        values: Array<[number, string]>;
      }>;
    }>('query_range', {
      query,
      start: String(range.start),
      end: String(range.end),
      step: String(range.step),
    });
    return data.result;
  }

  async query(query: string, time: number): Promise<InstantSample[]> {
    const data = await this.post<{
      resultType: string;
      result: Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>;
    }>('query', { query, time: String(time) });
    if (data.resultType !== 'vector') {
      throw new PrometheusQueryError(
        this.instance.name,
        `expected a vector result, got ${data.resultType}`,
      );
    }
    return data.result.map(r => ({
      labels: r.metric,
      value: Number.parseFloat(r.value[1]),
    }));
  }

  /**
   * Label sets of the series matching any of `matchers` that have samples
   * between `start` and `end`. It reads the index only, no samples.
   */
  async series(
    matchers: string[],
    range: { start: number; end: number },
  ): Promise<Array<Record<string, string>>> {
    return this.post<Array<Record<string, string>>>('series', [
      ...matchers.map((m): [string, string] => ['match[]', m]),
      ['start', String(range.start)],
      ['end', String(range.end)],
    ]);
  }

  private async post<T>(
    endpoint: string,
    form: Record<string, string> | Array<[string, string]>,
  ): Promise<T> {
    const { name, url, timeoutMs, headers } = this.instance;
    // The server-side timeout stops the query there too, not only our wait.
    const body = new URLSearchParams([
      ...(Array.isArray(form) ? form : Object.entries(form)),
      ['timeout', `${Math.max(1, Math.floor(timeoutMs / 1000))}s`],
    ]);
    let response: Response;
    try {
      response = await fetch(`${url}/api/v1/${endpoint}`, {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/x-www-form-urlencoded',
          // Uncompressed: gzip of a multi-megabyte answer costs Prometheus
          // more CPU than the transfer saves inside a cluster.
          'Accept-Encoding': 'identity',
          Accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw this.transportError(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(error);
    }
    let parsed: ApiResponse<T> | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const detail =
        parsed && parsed.status === 'error'
          ? `${parsed.errorType ?? 'error'}: ${parsed.error ?? ''}`
          : text.slice(0, 200).replace(/\s+/g, ' ').trim();
      throw new PrometheusQueryError(
        name,
        `HTTP ${response.status} ${response.statusText} from ${redactUrl(url)}${
          detail ? ` (${detail})` : ''
        }`,
      );
    }
    if (!parsed || typeof parsed !== 'object') {
      throw new PrometheusQueryError(
        name,
        `answered with something that is not Prometheus JSON from ${redactUrl(
          url,
        )}`,
      );
    }
    if (parsed.status !== 'success') {
      throw new PrometheusQueryError(
        name,
        `query failed: ${parsed.errorType ?? 'error'}: ${
          parsed.error ?? 'unknown'
        }`,
      );
    }
    return parsed.data;
  }

  private transportError(error: unknown): PrometheusQueryError {
    const { name, url, timeoutMs } = this.instance;
    const e = error as {
      name?: string;
      message?: string;
      cause?: { code?: string; message?: string };
    };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return new PrometheusQueryError(
        name,
        `no answer within ${timeoutMs / 1000} s from ${redactUrl(
          url,
        )} (timeout)`,
      );
    }
    const cause =
      e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
    return new PrometheusQueryError(
      name,
      `unreachable at ${redactUrl(url)}: ${cause}`,
    );
  }
}
