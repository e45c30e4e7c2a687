import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityMetricsResponse,
  EntityWorkloadsResponse,
  GpuSeriesDetail,
  NotConfiguredReason,
  getWorkloadSelector,
  roundMetricValue,
  withLatestGpuValues,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import type express from 'express';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  FoundWorkloads,
  MetricsService,
  metricsRequestForEntity,
} from '../metrics';
import { createOpenApiRouter } from '../schema/openapi';
import {
  JsonParts,
  contentHash,
  gzipParts,
  jsonText,
} from '../workloads/jsonParts';
import type { WorkloadsService } from './types';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  workloads: WorkloadsService;
  metrics: MetricsService;
  logger: LoggerService;
}

/**
 * The plugin's HTTP surface, declared in src/schema/openapi.yaml and served
 * through the generated validating router, which answers malformed path
 * parameters with a 400 naming the parameter. Further endpoints (metrics) are
 * added to the spec and registered here the same way.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, workloads, metrics, logger } = options;
  const router = await createOpenApiRouter();

  // Reads the entity as the caller: an entity they may not see is
  // indistinguishable from one that does not exist.
  const readEntity = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} found`);
    }
    return { entity, entityRef };
  };
  // Each answer is encoded once while it is cached: its ETag and its gzip
  // bytes, keyed by what determines the body (the entity, its selector and
  // the answer's generation time, the same in every backend instance sharing
  // the cache). When a newly computed answer holds the same workloads as the
  // last one served for that selector (only its read times differ), the last
  // one is served again, byte for byte: a poll of unchanged data is then a
  // 304, not a new body whose only change is a timestamp.
  type Encoded = { etag: string; text: string; gzip?: Buffer };
  type EncodedParts = {
    etag: string;
    parts: JsonParts;
    text?: string;
    gzip?: Buffer;
  };
  const encoded = new Map<string, EncodedParts>();
  const latest = new Map<string, { hash: string; encoding: EncodedParts }>();
  const remember = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (map.size >= 64) map.delete(map.keys().next().value!);
    map.set(key, value);
  };
  const encodingOf = (
    selectorKey: string,
    head: string,
    clusters: JsonParts,
  ): EncodedParts => {
    let entry = encoded.get(head);
    if (!entry) {
      // Read times change on every read without the workloads changing.
      const hash = contentHash(selectorKey, clusters);
      const previous = latest.get(selectorKey);
      entry =
        previous?.hash === hash
          ? previous.encoding
          : {
              etag: `"${hash}"`,
              parts: [`${head.slice(0, -1)},"clusters":`, ...clusters, '}'],
            };
      remember(encoded, head, entry);
      remember(latest, selectorKey, { hash, encoding: entry });
    }
    return entry;
  };

  // A metrics answer is the same object for as long as it is cached: it is
  // serialised, hashed and compressed once, not on every request. Values keep
  // six significant digits, more than any chart or tooltip shows, which
  // halves the body the browser parses. The ETag leaves out the generation
  // time, so an answer recomputed from the same samples is a 304.
  // With gpuSeries=latest, each GPU's series go without their points: a
  // second encoding of the same answer, kept beside the first.
  const metricsEncodings: Record<GpuSeriesDetail, WeakMap<object, Encoded>> = {
    range: new WeakMap(),
    latest: new WeakMap(),
  };
  const metricsEncodingOf = (
    answer: EntityMetricsResponse,
    gpuSeries: GpuSeriesDetail,
  ): Encoded => {
    let entry = metricsEncodings[gpuSeries].get(answer);
    if (!entry) {
      const text = JSON.stringify(
        gpuSeries === 'latest' ? withLatestGpuValues(answer) : answer,
        roundMetricValue,
      );
      const hash = createHash('sha1')
        .update(text.replace(/"generatedAt":"[^"]*"/, ''))
        .digest('base64url');
      entry = { etag: `"${hash}"`, text };
      metricsEncodings[gpuSeries].set(answer, entry);
    }
    return entry;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/workloads',
    async (req, res) => {
      const started = performance.now();
      const { entity, entityRef } = await readEntity(req);
      const notConfigured = (
        reason: NotConfiguredReason,
        message: string,
      ): EntityWorkloadsResponse => ({
        status: 'notConfigured',
        entityRef,
        reason,
        message,
      });
      const selector = getWorkloadSelector(entity);
      if (!selector.configured) {
        const reason =
          selector.reason === 'missing'
            ? 'missingAnnotation'
            : 'invalidAnnotation';
        res.json(notConfigured(reason, selector.message) as any);
        return;
      }
      if (workloads.clusterNames().length === 0) {
        res.json(
          notConfigured(
            'noClusters',
            'No Kubernetes cluster is configured: add clusters under kubernetes.clusterLocatorMethods in app-config.yaml.',
          ) as any,
        );
        return;
      }
      const result = await workloads.getWorkloads({
        labelSelector: selector.labelSelector,
        namespace: selector.namespace,
      });
      logger.debug('Served workloads', { entityRef });
      const head = JSON.stringify({
        status: 'ok',
        entityRef,
        selector: {
          labelSelector: selector.labelSelector,
          ...(selector.namespace ? { namespace: selector.namespace } : {}),
        },
        generatedAt: result.generatedAt,
      });
      // The clusters are spliced in as cached, already serialised.
      const encoding = encodingOf(
        `${entityRef}\u0000${selector.labelSelector}\u0000${
          selector.namespace ?? ''
        }`,
        head,
        result.clusters,
      );
      // Each cluster's unchanged pods are compressed once for every answer.
      sendEncoded(req, res, started, {
        etag: encoding.etag,
        gzip: () => (encoding.gzip ??= gzipParts(encoding.parts)),
        text: () => (encoding.text ??= jsonText(encoding.parts)),
      });
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/metrics',
    async (req, res) => {
      const started = performance.now();
      const { entity, entityRef } = await readEntity(req);
      // The pods the workload view selects scope the series; they come from
      // the pod informers, so Prometheus is asked while the workload view's
      // own lists may still be under way.
      const found: FoundWorkloads = {};
      const selector = getWorkloadSelector(entity);
      if (selector.configured && workloads.clusterNames().length > 0) {
        try {
          Object.assign(
            found,
            await workloads.metricsScope({
              labelSelector: selector.labelSelector,
              namespace: selector.namespace,
            }),
          );
        } catch (error) {
          logger.warn('Metrics scoped without workloads', {
            entityRef,
            reason: String(error),
          });
        }
      }
      const query = req.query as Record<string, string | undefined>;
      const answer = await metrics.getEntityMetrics(
        metricsRequestForEntity(entity, found, {
          range: query.range,
          start: query.start,
          end: query.end,
          model: query.model,
        }),
      );
      // The validating router has refused any other value.
      const encoding = metricsEncodingOf(
        answer,
        (query.gpuSeries as GpuSeriesDetail | undefined) ?? 'range',
      );
      sendEncoded(req, res, started, {
        etag: encoding.etag,
        gzip: () => (encoding.gzip ??= gzipSync(encoding.text, { level: 1 })),
        text: () => encoding.text,
      });
    },
  );

  return router;
}

/**
 * Sends an answer that is encoded once while it is cached: a 304 without a
 * body when the caller holds its ETag, else its gzip bytes (made once, not by
 * the compression middleware on every response) or its text. Private (per
 * caller) and revalidated on every use. `Server-Timing` tells the handler's
 * own time.
 */
function sendEncoded(
  req: express.Request,
  res: express.Response,
  started: number,
  encoding: { etag: string; gzip: () => Buffer; text: () => string },
) {
  res
    .type('application/json')
    .set('ETag', encoding.etag)
    .set('Cache-Control', 'private, no-cache')
    .set('Vary', 'Accept-Encoding');
  const serverTiming = () =>
    res.set(
      'Server-Timing',
      `app;dur=${(performance.now() - started).toFixed(1)}`,
    );
  if (matchesEtag(req.headers['if-none-match'], encoding.etag)) {
    serverTiming();
    res.status(304).end();
  } else if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    const body = encoding.gzip();
    serverTiming();
    res.set('Content-Encoding', 'gzip').send(body as any);
  } else {
    const body = encoding.text();
    serverTiming();
    res.send(body as any);
  }
}

/** Whether an `If-None-Match` header names this (strong) ETag. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some(tag => tag.trim().replace(/^W\//, '') === etag);
}
