import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityMetricsResponse,
  EntityWorkloadsResponse,
  GpuSeriesDetail,
  MetricsRange,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import type { LlmPlatformApi, LlmPlatformEntityRef } from './LlmPlatformApi';
import { shareUnchanged } from '../utils/shareUnchanged';

interface CachedResponse {
  etag?: string;
  /** Kept only without an ETag, to compare the next body with. */
  text?: string;
  body: unknown;
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** An answer younger than this is reused without asking again. */
const FRESH_MS = 1000;

/**
 * {@link LlmPlatformApi} over HTTP. Each URL's last response is kept with its
 * ETag: a poll with unchanged data costs a 304 with no body, and returns the
 * previous object itself, so nothing downstream re-renders. Where the ETag
 * cannot be read (a cross-origin backend that does not expose it, so the
 * browser cache revalidates instead), an identical body is not parsed again.
 *
 * @public
 */
export class LlmPlatformClient implements LlmPlatformApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly cache = new Map<string, CachedResponse>();
  /** Requests under way: a second caller of the same URL shares the answer. */
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getWorkloads(
    entity: LlmPlatformEntityRef,
  ): Promise<EntityWorkloadsResponse> {
    return this.request<EntityWorkloadsResponse>(
      `${entityPath(entity)}/workloads`,
    );
  }

  async getMetrics(
    entity: LlmPlatformEntityRef,
    options: {
      range: MetricsRange;
      model?: string;
      gpuSeries?: GpuSeriesDetail;
    },
  ): Promise<EntityMetricsResponse> {
    const query = new URLSearchParams({ range: options.range });
    if (options.model) {
      query.set('model', options.model);
    }
    if (options.gpuSeries) {
      query.set('gpuSeries', options.gpuSeries);
    }
    return this.request<EntityMetricsResponse>(
      `${entityPath(entity)}/metrics?${query}`,
    );
  }

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('llm-platform');
    const url = `${baseUrl}${path}`;
    // The tab asks for its data while its code loads, and again when it
    // mounts: both get the one request.
    const cached = this.cache.get(url);
    if (cached && Date.now() - cached.at < FRESH_MS) {
      return cached.body as T;
    }
    let pending = this.inflight.get(url) as Promise<T> | undefined;
    if (!pending) {
      pending = this.fetchJson<T>(url).finally(() => this.inflight.delete(url));
      this.inflight.set(url, pending);
    }
    return pending;
  }

  private async fetchJson<T>(url: string): Promise<T> {
    const cached = this.cache.get(url);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (cached?.etag) {
      headers['If-None-Match'] = cached.etag;
    }
    const response = await this.fetchApi.fetch(url, { headers });
    if (response.status === 304 && cached) {
      cached.at = Date.now();
      return cached.body as T;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const etag = response.headers.get('ETag') ?? undefined;
    const text = await response.text();
    if (cached?.text !== undefined && cached.text === text) {
      this.cache.set(url, { ...cached, etag, at: Date.now() });
      return cached.body as T;
    }
    const fresh = JSON.parse(text);
    // Keep the previous objects wherever the data did not change, so only the
    // rows and charts whose data changed re-render.
    const body = cached ? shareUnchanged(cached.body, fresh) : fresh;
    // With an ETag the next unchanged answer is a 304: the text (megabytes
    // for a day of metrics) need not stay in memory.
    this.cache.set(url, {
      etag,
      text: etag ? undefined : text,
      body,
      at: Date.now(),
    });
    return body as T;
  }
}

function entityPath({ kind, namespace, name }: LlmPlatformEntityRef): string {
  return `/v1/entities/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}
