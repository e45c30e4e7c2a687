import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterClient,
  ClusterConfig,
  ClusterRequestError,
  ListRequest,
  ListResult,
  WatchEventType,
  WatchRequest,
} from './types';
import type { EksTokenOptions } from './awsToken';

export interface ClusterClientOptions {
  /** Every upstream call is abandoned after this long. */
  timeoutMs: number;
  /** Needed only for `authProvider: aws` clusters. */
  eksToken?: (options: EksTokenOptions) => Promise<string>;
}

// client-node builds the TLS options and Authorization header from a
// kubeconfig (CA, client certs, exec and token users), so every auth provider
// goes through the same, maintained code path.
function toKubeConfig(cluster: ClusterConfig): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.auth.provider === 'kubeconfig') {
    if (cluster.auth.kubeconfigPath) {
      kc.loadFromFile(cluster.auth.kubeconfigPath);
    } else {
      kc.loadFromDefault();
    }
    kc.setCurrentContext(cluster.auth.context);
    return kc;
  }
  kc.loadFromClusterAndUser(
    {
      name: cluster.name,
      server: cluster.url,
      caData: cluster.caData,
      caFile: cluster.caFile,
      skipTLSVerify: cluster.skipTLSVerify,
    },
    {
      name: 'backstage',
      token:
        cluster.auth.provider === 'serviceAccount'
          ? cluster.auth.token
          : undefined,
    },
  );
  return kc;
}

function statusMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    return typeof parsed?.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

function classify(
  request: ListRequest,
  cluster: string,
  status: number,
  body: string,
): ClusterRequestError {
  const upstream = statusMessage(body);
  if (status === 401) {
    return new ClusterRequestError(
      'unauthorized',
      request.description,
      `cluster "${cluster}" rejected the configured credentials for ${request.description} (401): check the token or role of this cluster`,
      status,
    );
  }
  if (status === 403) {
    const [verb, resource] = request.description.split(' ');
    return new ClusterRequestError(
      'forbidden',
      request.description,
      `cluster "${cluster}" does not allow verb "${verb}" on resource "${resource}": ${
        upstream ?? 'forbidden'
      }. Grant it to the backend's identity with a ClusterRole.`,
      status,
    );
  }
  return new ClusterRequestError(
    'bad_response',
    request.description,
    `cluster "${cluster}" answered ${request.description} with HTTP ${status}${
      upstream ? `: ${upstream}` : ''
    }`,
    status,
  );
}

/**
 * A small reader of list endpoints. It parses JSON itself instead of going
 * through client-node's typed models: converting thousands of pods into
 * model classes costs more CPU than the whole request budget.
 */
export function createClusterClient(
  cluster: ClusterConfig,
  options: ClusterClientOptions,
): ClusterClient {
  const kc = toKubeConfig(cluster);
  const base = new URL(
    cluster.auth.provider === 'kubeconfig'
      ? kc.getCurrentCluster()!.server
      : cluster.url,
  );
  const isHttps = base.protocol === 'https:';
  let agent: http.Agent | undefined;

  async function requestOptions(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    if (cluster.auth.provider === 'aws') {
      if (!options.eksToken) {
        throw new ClusterRequestError(
          'unauthorized',
          'authenticate',
          `cluster "${cluster.name}" uses authProvider aws but no AWS credentials are available`,
        );
      }
      const token = await options.eksToken(cluster.auth);
      (
        opts.headers as Record<string, string>
      ).Authorization = `Bearer ${token}`;
    }
    if (!agent) {
      const agentOptions = {
        keepAlive: true,
        maxSockets: 16,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: cluster.skipTLSVerify
          ? false
          : opts.rejectUnauthorized,
      };
      agent = isHttps
        ? new https.Agent(agentOptions)
        : new http.Agent(agentOptions);
    }
    return { headers: opts.headers, agent };
  }

  return {
    name: cluster.name,
    async list<T>(request: ListRequest): Promise<ListResult<T>> {
      const url = new URL(
        `${base.pathname.replace(/\/$/, '')}${request.path}`,
        base,
      );
      if (request.labelSelector) {
        url.searchParams.set('labelSelector', request.labelSelector);
      }
      if (request.fieldSelector) {
        url.searchParams.set('fieldSelector', request.fieldSelector);
      }
      if (request.limit) {
        url.searchParams.set('limit', String(request.limit));
      }
      if (request.continue) {
        url.searchParams.set('continue', request.continue);
      }
      const opts = await requestOptions();
      const transport = isHttps ? https : http;
      return new Promise<ListResult<T>>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const req = transport.get(
          url,
          {
            ...opts,
            headers: {
              ...opts.headers,
              accept: request.accept ?? 'application/json',
            },
          },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              clearTimeout(timer);
              const body = Buffer.concat(chunks);
              const status = res.statusCode ?? 0;
              if (status < 200 || status >= 300) {
                reject(
                  classify(
                    request,
                    cluster.name,
                    status,
                    body.toString('utf8'),
                  ),
                );
                return;
              }
              try {
                const parsed = JSON.parse(body.toString('utf8'));
                if (!Array.isArray(parsed?.items)) {
                  throw new Error('no items array');
                }
                resolve({
                  items: parsed.items,
                  bytes: body.length,
                  resourceVersion: parsed.metadata?.resourceVersion,
                  continue: parsed.metadata?.continue || undefined,
                });
              } catch (error) {
                reject(
                  new ClusterRequestError(
                    'bad_response',
                    request.description,
                    `cluster "${cluster.name}" answered ${
                      request.description
                    } with a body that is not a Kubernetes list (${
                      (error as Error).message
                    })`,
                    status,
                  ),
                );
              }
            });
          },
        );
        timer = setTimeout(() => {
          req.destroy(
            new ClusterRequestError(
              'timeout',
              request.description,
              `cluster "${cluster.name}" did not answer ${request.description} within ${options.timeoutMs} ms`,
            ),
          );
        }, options.timeoutMs);
        req.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          if (error instanceof ClusterRequestError) {
            reject(error);
            return;
          }
          reject(
            new ClusterRequestError(
              'unreachable',
              request.description,
              `cluster "${cluster.name}" could not be reached for ${
                request.description
              }: ${error.code ?? error.message}`,
            ),
          );
        });
      });
    },
    async watch<T>(
      request: WatchRequest,
      onEvent: (type: WatchEventType, object: T) => void,
      signal: AbortSignal,
    ): Promise<void> {
      const url = new URL(
        `${base.pathname.replace(/\/$/, '')}${request.path}`,
        base,
      );
      url.searchParams.set('watch', '1');
      url.searchParams.set('resourceVersion', request.resourceVersion);
      url.searchParams.set('allowWatchBookmarks', 'true');
      url.searchParams.set('timeoutSeconds', String(request.timeoutSeconds));
      if (request.labelSelector) {
        url.searchParams.set('labelSelector', request.labelSelector);
      }
      if (request.fieldSelector) {
        url.searchParams.set('fieldSelector', request.fieldSelector);
      }
      const opts = await requestOptions();
      const transport = isHttps ? https : http;
      return new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const req = transport.get(
          url,
          {
            ...opts,
            signal,
            headers: { ...opts.headers, accept: 'application/json' },
          },
          res => {
            clearTimeout(timer);
            const status = res.statusCode ?? 0;
            if (status !== 200) {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                reject(
                  classify(
                    request,
                    cluster.name,
                    status,
                    Buffer.concat(chunks).toString('utf8'),
                  ),
                ),
              );
              return;
            }
            let pending = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              pending += chunk;
              let newline = pending.indexOf('\n');
              while (newline >= 0) {
                const line = pending.slice(0, newline);
                pending = pending.slice(newline + 1);
                newline = pending.indexOf('\n');
                if (!line.trim()) continue;
                const event = JSON.parse(line);
                if (event.type === 'ERROR') {
                  req.destroy(
                    new ClusterRequestError(
                      'bad_response',
                      request.description,
                      `cluster "${cluster.name}" ended ${
                        request.description
                      }: ${event.object?.message ?? 'error event'}`,
                      event.object?.code,
                    ),
                  );
                  return;
                }
                onEvent(event.type, event.object);
              }
            });
            res.on('end', () => resolve());
            res.on('error', reject);
          },
        );
        // Only connecting and the response headers are bounded by the
        // timeout; the stream itself lasts timeoutSeconds.
        timer = setTimeout(() => {
          req.destroy(
            new ClusterRequestError(
              'timeout',
              request.description,
              `cluster "${cluster.name}" did not start ${request.description} within ${options.timeoutMs} ms`,
            ),
          );
        }, options.timeoutMs);
        req.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          if (error instanceof ClusterRequestError) {
            reject(error);
            return;
          }
          reject(
            new ClusterRequestError(
              error.name === 'AbortError' ? 'timeout' : 'unreachable',
              request.description,
              `cluster "${cluster.name}" dropped ${request.description}: ${
                error.code ?? error.name
              }`,
            ),
          );
        });
      });
    },
  };
}
