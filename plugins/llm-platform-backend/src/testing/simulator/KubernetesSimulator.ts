import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  RESOURCES,
  SimulatedResource,
  resourceForObject,
  resourceKey,
} from './resources';
import { BadSelectorError, fieldMatcher, labelMatcher } from './selectors';

/** What a bearer token may do: `*`, or entries like `list pods`, `get nodes`, `list *`. */
export interface TokenGrant {
  user: string;
  allow: string[];
}

/** An injected failure, applied to the requests it matches. */
export interface SimulatorFault {
  /** Plural resource name such as `pods`; all resources when absent. */
  resource?: string;
  verb?: 'list' | 'get' | 'watch';
  /** Delay before answering. */
  latencyMs?: number;
  /** Answer with this status (for example 500) instead of the data. */
  status?: number;
  /** Never answer; the connection stays open until the client gives up. */
  hang?: boolean;
}

/** One request the simulator answered, for counting calls and bytes. */
export interface SimulatorRequest {
  verb: 'list' | 'get' | 'watch' | 'other';
  /** `pods`, `replicasets.apps`, ... */
  resource?: string;
  namespace?: string;
  path: string;
  status: number;
  bytes: number;
  /** `performance.now()` when the request arrived, and how long the answer took. */
  startedAt: number;
  durationMs?: number;
}

export interface KubernetesSimulatorOptions {
  objects?: object[];
  /** Bearer tokens and their grants. Defaults to one token allowed everything. */
  tokens?: Record<string, TokenGrant>;
  faults?: SimulatorFault[];
  /** Serve HTTPS with this key and certificate (PEM), as a real API server does. */
  tls?: { key: string; cert: string };
  /** Decides on tokens not in `tokens`, e.g. to check the shape of an EKS token. */
  authenticate?: (token: string) => TokenGrant | undefined;
}

/**
 * Whether an Accept header asks for a list of metadata only, as client-go's
 * metadata informers do (`application/json;as=PartialObjectMetadataList;
 * g=meta.k8s.io;v=v1`), ahead of any full form it also accepts.
 */
function acceptsMetadataOnly(accept: string): boolean {
  const first = accept.split(',')[0];
  const params = new Map(
    first
      .split(';')
      .slice(1)
      .map(p => p.trim().split('=') as [string, string]),
  );
  return (
    params.get('as') === 'PartialObjectMetadataList' &&
    params.get('g') === 'meta.k8s.io' &&
    params.get('v') === 'v1'
  );
}

/** The token accepted when a scenario declares none. */
export const DEFAULT_SIMULATOR_TOKEN = 'simulator-token';

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface WatchEvent {
  key: string;
  type: WatchEventType;
  stored: StoredObject;
  rv: number;
}

/** Events kept for watches that resume from an older resourceVersion. */
const HISTORY = 10_000;

interface StoredObject {
  object: any;
  /** Serialised once: lists of thousands of pods are joined, not re-encoded. */
  json: string;
}

interface ParsedPath {
  resource: SimulatedResource;
  namespace?: string;
  name?: string;
}

function parsePath(pathname: string): ParsedPath | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 2) {
    return undefined;
  }
  const resource = RESOURCES.find(
    r => r.group === group && r.version === version && r.plural === rest[0],
  );
  if (!resource || (namespace && !resource.namespaced)) {
    return undefined;
  }
  return { resource, namespace, name: rest[1] };
}

function status(code: number, reason: string, message: string, kind?: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(kind ? { details: { kind } } : {}),
    code,
  };
}

/**
 * A Kubernetes API server over real HTTP on 127.0.0.1, for the objects the
 * LLM Platform backend reads. It answers list and get, cluster-wide and
 * namespaced, with the apiserver's label and field selector semantics, bearer
 * token authentication (401) and RBAC-style authorisation (403), and injected
 * latency, errors and hangs.
 */
export class KubernetesSimulator {
  private readonly store = new Map<string, StoredObject[]>();
  private tokens: Record<string, TokenGrant>;
  private faults: SimulatorFault[];
  private readonly authenticate?: (token: string) => TokenGrant | undefined;
  private server?: http.Server;
  private readonly tls?: { key: string; cert: string };
  private readonly sockets = new Set<Socket>();
  private resourceVersion = 1000;
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<{
    send: (e: WatchEvent) => void;
    end: () => void;
  }>();
  readonly requests: SimulatorRequest[] = [];

  constructor(options: KubernetesSimulatorOptions = {}) {
    this.tokens = options.tokens ?? {
      [DEFAULT_SIMULATOR_TOKEN]: { user: 'simulator-admin', allow: ['*'] },
    };
    this.faults = options.faults ?? [];
    this.authenticate = options.authenticate;
    this.tls = options.tls;
    this.load(options.objects ?? []);
  }

  /** Adds objects; each needs `apiVersion`, `kind` and `metadata.name`. */
  load(objects: object[]): void {
    for (const object of objects) {
      // Scenario objects are unique: no lookup, so 36,000 pods load quickly.
      this.store1(object, false);
    }
  }

  /** Whether the cluster serves a resource: a custom one needs its CRD, as on a real cluster. */
  private installed(resource: SimulatedResource): boolean {
    if (!resource.crd) return true;
    const name = resourceKey(resource);
    return (
      this.store.get('customresourcedefinitions.apiextensions.k8s.io') ?? []
    ).some(s => s.object.metadata.name === name);
  }

  /** Creates or replaces an object, and tells watchers (ADDED or MODIFIED). */
  apply(object: object): void {
    const { key, type, stored } = this.store1(object);
    this.notify(key, type, stored);
  }

  private store1(
    input: object,
    replace = true,
  ): {
    key: string;
    type: WatchEventType;
    stored: StoredObject;
  } {
    const object = input as any;
    const resource = resourceForObject(object?.apiVersion, object?.kind);
    if (!resource || !object.metadata?.name) {
      throw new Error(
        `simulator cannot store ${object?.apiVersion}/${object?.kind} "${object?.metadata?.name}": unknown kind or missing metadata.name`,
      );
    }
    if (resource.namespaced && !object.metadata.namespace) {
      object.metadata.namespace = 'default';
    }
    object.metadata.resourceVersion = String(++this.resourceVersion);
    const { apiVersion: _a, kind: _k, ...item } = object;
    const key = resourceKey(resource);
    const list = this.store.get(key) ?? [];
    const index = !replace
      ? -1
      : list.findIndex(
          s =>
            s.object.metadata.name === object.metadata.name &&
            s.object.metadata.namespace === object.metadata.namespace,
        );
    const stored = { object, json: JSON.stringify(item) };
    if (index >= 0) {
      list[index] = stored;
    } else {
      list.push(stored);
    }
    this.store.set(key, list);
    return { key, type: index >= 0 ? 'MODIFIED' : 'ADDED', stored };
  }

  /** Deletes an object, and tells watchers (DELETED). */
  remove(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): void {
    const resource = resourceForObject(apiVersion, kind);
    if (!resource) {
      throw new Error(`simulator has no kind ${apiVersion}/${kind}`);
    }
    const key = resourceKey(resource);
    const list = this.store.get(key) ?? [];
    const index = list.findIndex(
      s =>
        s.object.metadata.name === name &&
        (!namespace || s.object.metadata.namespace === namespace),
    );
    if (index < 0) return;
    const [stored] = list.splice(index, 1);
    stored.object.metadata.resourceVersion = String(++this.resourceVersion);
    this.notify(key, 'DELETED', {
      object: stored.object,
      json: JSON.stringify({
        ...stored.object,
        apiVersion: undefined,
        kind: undefined,
      }),
    });
  }

  private notify(key: string, type: WatchEventType, stored: StoredObject) {
    const event = { key, type, stored, rv: this.resourceVersion };
    this.history.push(event);
    if (this.history.length > HISTORY) {
      this.history.shift();
    }
    for (const w of this.watchers) {
      w.send(event);
    }
  }

  /** Ends every open watch, as an API server restart or a load balancer would. */
  dropWatches(): void {
    for (const w of this.watchers) {
      w.end();
    }
  }

  setTokens(tokens: Record<string, TokenGrant>): void {
    this.tokens = tokens;
  }

  setFaults(faults: SimulatorFault[]): void {
    this.faults = faults;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) {
      throw new Error('simulator is not started');
    }
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) =>
      this.handle(req, res);
    const server = this.tls
      ? https.createServer(this.tls, handler)
      : http.createServer(handler);
    server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.keepAliveTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  private authorize(
    req: http.IncomingMessage,
    verb: string,
    parsed: ParsedPath,
  ): { code: number; body: object } | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const grant = match
      ? this.tokens[match[1]] ?? this.authenticate?.(match[1])
      : undefined;
    if (!grant) {
      return { code: 401, body: status(401, 'Unauthorized', 'Unauthorized') };
    }
    const plural = parsed.resource.plural;
    const allowed = grant.allow.some(
      a =>
        a === '*' ||
        a === `${verb} *` ||
        a === `${verb} ${plural}` ||
        a === `* ${plural}`,
    );
    if (allowed) {
      return undefined;
    }
    const scope = parsed.namespace
      ? `in the namespace "${parsed.namespace}"`
      : 'at the cluster scope';
    const message = `${plural}${
      parsed.resource.group ? `.${parsed.resource.group}` : ''
    }${parsed.name ? ` "${parsed.name}"` : ''} is forbidden: User "${
      grant.user
    }" cannot ${verb} resource "${plural}" in API group "${
      parsed.resource.group
    }" ${scope}`;
    return {
      code: 403,
      body: status(403, 'Forbidden', message, plural),
    };
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const parsed = parsePath(url.pathname);
    let verb: SimulatorRequest['verb'] = 'other';
    const watching = ['true', '1'].includes(
      url.searchParams.get('watch') ?? '',
    );
    if (req.method === 'GET' && parsed) {
      verb = parsed.name ? 'get' : 'list';
      if (watching) verb = 'watch';
    }
    const record: SimulatorRequest = {
      verb,
      resource: parsed ? resourceKey(parsed.resource) : undefined,
      namespace: parsed?.namespace,
      path: `${url.pathname}${url.search}`,
      status: 0,
      bytes: 0,
      startedAt: performance.now(),
    };
    this.requests.push(record);

    const send = (code: number, body: string | object) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      record.status = code;
      record.bytes = Buffer.byteLength(text);
      res.writeHead(code, {
        'content-type': 'application/json',
        'content-length': record.bytes,
      });
      res.end(text);
      record.durationMs = performance.now() - record.startedAt;
    };

    if (url.pathname === '/version') {
      send(200, { major: '1', minor: '29', gitVersion: 'v1.29.0-simulator' });
      return;
    }
    if (url.pathname === '/healthz' || url.pathname === '/readyz') {
      send(200, 'ok');
      return;
    }
    if (!parsed || !this.installed(parsed.resource)) {
      send(
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    if (req.method !== 'GET') {
      send(
        405,
        status(
          405,
          'MethodNotAllowed',
          `the simulator only answers GET, not ${req.method}`,
        ),
      );
      return;
    }

    const denied = this.authorize(req, verb, parsed);
    if (denied) {
      send(denied.code, denied.body);
      return;
    }

    const fault = this.faults.find(
      f =>
        (!f.resource || f.resource === parsed.resource.plural) &&
        (!f.verb || f.verb === verb),
    );
    if (fault?.latencyMs) {
      await new Promise(resolve => setTimeout(resolve, fault.latencyMs));
    }
    if (fault?.hang) {
      return;
    }
    if (fault?.status) {
      send(
        fault.status,
        status(
          fault.status,
          'InternalError',
          `simulated failure with status ${fault.status}`,
        ),
      );
      return;
    }
    if (watching) {
      try {
        this.watch(parsed, url.searchParams, res, record, send);
      } catch (error) {
        if (error instanceof BadSelectorError) {
          send(400, status(400, 'BadRequest', error.message));
          return;
        }
        throw error;
      }
      return;
    }

    try {
      if (parsed.name) {
        this.get(parsed, send);
      } else {
        this.list(parsed, url.searchParams, send, req.headers.accept);
      }
    } catch (error) {
      if (error instanceof BadSelectorError) {
        send(400, status(400, 'BadRequest', error.message));
        return;
      }
      send(500, status(500, 'InternalError', String(error)));
    }
  }

  /**
   * A watch as the apiserver streams it: one JSON event per line, starting
   * after the given resourceVersion (410 Gone when that is too old), with
   * the same selectors as a list, until timeoutSeconds or disconnection.
   */
  private watch(
    parsed: ParsedPath,
    params: URLSearchParams,
    res: http.ServerResponse,
    record: SimulatorRequest,
    send: (code: number, body: string | object) => void,
  ): void {
    const key = resourceKey(parsed.resource);
    const byLabel = labelMatcher(params.get('labelSelector') ?? undefined);
    const byField = fieldMatcher(
      params.get('fieldSelector') ?? undefined,
      parsed.resource.fields,
    );
    const from = Number(params.get('resourceVersion') ?? this.resourceVersion);
    const oldest = this.history[0]?.rv ?? this.resourceVersion;
    if (from < oldest - 1 && this.history.length >= HISTORY) {
      send(
        410,
        status(410, 'Expired', `too old resource version: ${from} (${oldest})`),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    // The apiserver answers a watch at once; events follow as they happen.
    res.flushHeaders();
    record.status = 200;
    const matches = (e: WatchEvent) =>
      e.key === key &&
      e.rv > from &&
      (!parsed.namespace ||
        e.stored.object.metadata.namespace === parsed.namespace) &&
      byLabel(e.stored.object) &&
      byField(e.stored.object);
    const watcher = {
      end: () => res.end(),
      send: (e: WatchEvent) => {
        if (!matches(e)) return;
        const line = `{"type":"${e.type}","object":{"kind":${JSON.stringify(
          e.stored.object.kind,
        )},"apiVersion":${JSON.stringify(
          e.stored.object.apiVersion,
        )},${e.stored.json.slice(1)}}\n`;
        record.bytes += Buffer.byteLength(line);
        res.write(line);
      },
    };
    this.history.forEach(watcher.send);
    this.watchers.add(watcher);
    const timeout = Number(params.get('timeoutSeconds') ?? 0);
    const timer =
      timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const close = () => {
      clearTimeout(timer);
      this.watchers.delete(watcher);
    };
    res.on('close', close);
  }

  private get(
    parsed: ParsedPath,
    send: (code: number, body: string | object) => void,
  ): void {
    const found = (this.store.get(resourceKey(parsed.resource)) ?? []).find(
      s =>
        s.object.metadata.name === parsed.name &&
        (!parsed.namespace || s.object.metadata.namespace === parsed.namespace),
    );
    if (!found) {
      send(
        404,
        status(
          404,
          'NotFound',
          `${parsed.resource.plural} "${parsed.name}" not found`,
          parsed.resource.plural,
        ),
      );
      return;
    }
    const { apiVersion, kind } = found.object;
    send(
      200,
      `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(
        apiVersion,
      )},${found.json.slice(1)}`,
    );
  }

  private list(
    parsed: ParsedPath,
    params: URLSearchParams,
    send: (code: number, body: string | object) => void,
    accept = 'application/json',
  ): void {
    const byLabel = labelMatcher(params.get('labelSelector') ?? undefined);
    const byField = fieldMatcher(
      params.get('fieldSelector') ?? undefined,
      parsed.resource.fields,
    );
    let items = (this.store.get(resourceKey(parsed.resource)) ?? []).filter(
      s =>
        (!parsed.namespace ||
          s.object.metadata.namespace === parsed.namespace) &&
        byLabel(s.object) &&
        byField(s.object),
    );
    const limit = Number(params.get('limit') ?? 0);
    const offset = Number(
      Buffer.from(params.get('continue') ?? '', 'base64url').toString() || 0,
    );
    let next = '';
    if (limit > 0) {
      if (offset + limit < items.length) {
        next = Buffer.from(String(offset + limit)).toString('base64url');
      }
      items = items.slice(offset, offset + limit);
    }
    const { group, version, kind } = parsed.resource;
    const metadata = JSON.stringify({
      resourceVersion: String(this.resourceVersion),
      ...(next ? { continue: next } : {}),
    });
    if (acceptsMetadataOnly(accept)) {
      // As the apiserver answers metadata informers: each object's metadata.
      send(
        200,
        `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${metadata},"items":[${items
          .map(
            s =>
              `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(
                s.object.metadata,
              )}}`,
          )
          .join(',')}]}`,
      );
      return;
    }
    send(
      200,
      `{"kind":"${kind}List","apiVersion":"${
        group ? `${group}/` : ''
      }${version}","metadata":${metadata},"items":[${items
        .map(s => s.json)
        .join(',')}]}`,
    );
  }
}
