import http from 'node:http';
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
  verb?: 'list' | 'get';
  /** Delay before answering. */
  latencyMs?: number;
  /** Answer with this status (for example 500) instead of the data. */
  status?: number;
  /** Never answer; the connection stays open until the client gives up. */
  hang?: boolean;
}

/** One request the simulator answered, for counting calls and bytes. */
export interface SimulatorRequest {
  verb: 'list' | 'get' | 'other';
  /** `pods`, `replicasets.apps`, ... */
  resource?: string;
  namespace?: string;
  path: string;
  status: number;
  bytes: number;
}

export interface KubernetesSimulatorOptions {
  objects?: object[];
  /** Bearer tokens and their grants. Defaults to one token allowed everything. */
  tokens?: Record<string, TokenGrant>;
  faults?: SimulatorFault[];
  /** Decides on tokens not in `tokens`, e.g. to check the shape of an EKS token. */
  authenticate?: (token: string) => TokenGrant | undefined;
}

/** The token accepted when a scenario declares none. */
export const DEFAULT_SIMULATOR_TOKEN = 'simulator-token';

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
  private readonly sockets = new Set<Socket>();
  private resourceVersion = 1000;
  readonly requests: SimulatorRequest[] = [];

  constructor(options: KubernetesSimulatorOptions = {}) {
    this.tokens = options.tokens ?? {
      [DEFAULT_SIMULATOR_TOKEN]: { user: 'simulator-admin', allow: ['*'] },
    };
    this.faults = options.faults ?? [];
    this.authenticate = options.authenticate;
    this.load(options.objects ?? []);
  }

  /** Adds objects; each needs `apiVersion`, `kind` and `metadata.name`. */
  load(objects: object[]): void {
    for (const object of objects as any[]) {
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
      list.push({ object, json: JSON.stringify(item) });
      this.store.set(key, list);
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
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<string> {
    const server = http.createServer((req, res) => this.handle(req, res));
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
    if (req.method === 'GET' && parsed) {
      verb = parsed.name ? 'get' : 'list';
    }
    const record: SimulatorRequest = {
      verb,
      resource: parsed ? resourceKey(parsed.resource) : undefined,
      namespace: parsed?.namespace,
      path: `${url.pathname}${url.search}`,
      status: 0,
      bytes: 0,
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
    };

    if (url.pathname === '/version') {
      send(200, { major: '1', minor: '29', gitVersion: 'v1.29.0-simulator' });
      return;
    }
    if (url.pathname === '/healthz' || url.pathname === '/readyz') {
      send(200, 'ok');
      return;
    }
    if (!parsed) {
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
    if (
      url.searchParams.get('watch') === 'true' ||
      url.searchParams.get('watch') === '1'
    ) {
      send(
        400,
        status(400, 'BadRequest', 'the simulator does not serve watches'),
      );
      return;
    }

    try {
      if (parsed.name) {
        this.get(parsed, send);
      } else {
        this.list(parsed, url.searchParams, send);
      }
    } catch (error) {
      if (error instanceof BadSelectorError) {
        send(400, status(400, 'BadRequest', error.message));
        return;
      }
      send(500, status(500, 'InternalError', String(error)));
    }
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
