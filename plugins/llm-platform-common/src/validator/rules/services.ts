import { containersOf, imageBaseName, labelsMatch } from '../k8s';
import type { RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

const ROUTE = /@\w+\.(?:get|api_route|head)\(\s*["'](\/[^"']*)["']/g;
const REQUIRED = ['/startup', '/health', '/ready'];

/** FastAPI services under services/: their directory and every route they serve. */
function fastApiServices(repo: RepoIndex) {
  const byDir = new Map<
    string,
    {
      app?: { file: string; line: number };
      routes: Set<string>;
      usesShared: boolean;
    }
  >();
  for (const [file, content] of repo.filesMatching(
    /^services\/[^/]+\/.+\.py$/,
  )) {
    const dir = file.split('/').slice(0, 2).join('/');
    const entry = byDir.get(dir) ?? {
      routes: new Set<string>(),
      usesShared: false,
    };
    for (const m of content.matchAll(ROUTE)) entry.routes.add(m[1]);
    if (/^\s*(from|import)\s+shared\b/m.test(content)) entry.usesShared = true;
    if (/FastAPI\(/.test(content) && !entry.app) {
      entry.app = { file, line: repo.lineOfText(file, 'FastAPI(') };
    }
    byDir.set(dir, entry);
  }
  const shared = byDir.get('services/shared');
  for (const [dir, entry] of byDir) {
    if (dir !== 'services/shared' && entry.usesShared && shared) {
      for (const r of shared.routes) entry.routes.add(r);
    }
  }
  return [...byDir].filter(([dir, e]) => e.app && dir !== 'services/shared');
}

export const healthEndpoints: ValidationRule = {
  id: 'D24-health-endpoints',
  title:
    'Every service serves /startup, /health and /ready, and probes hit routes that exist',
  failures: ['D24'],
  severity: 'error',
  fix: 'Serve /startup, /health and /ready in every service (the shared health module does), true without optional backends such as SageMaker.',
  check(repo) {
    const services = fastApiServices(repo);
    const hits: RuleHit[] = [];
    for (const [dir, entry] of services) {
      const missing = REQUIRED.filter(r => !entry.routes.has(r));
      if (missing.length) {
        hits.push({
          file: entry.app!.file,
          line: entry.app!.line,
          message: `service ${dir.split('/')[1]} has no ${missing.join(
            ', ',
          )} endpoint; its probes fail and the pod never becomes Ready`,
        });
      }
    }
    const byName = new Map(services.map(([dir, e]) => [dir.split('/')[1], e]));
    for (const pod of repo.podTemplates()) {
      for (const { c, path } of containersOf(pod.spec)) {
        const service =
          byName.get(String(c.name)) ??
          byName.get(imageBaseName(String(c.image ?? '')));
        if (!service) continue;
        for (const probe of [
          'startupProbe',
          'readinessProbe',
          'livenessProbe',
        ]) {
          const probePath = c[probe]?.httpGet?.path;
          if (
            typeof probePath === 'string' &&
            !service.routes.has(probePath.split('?')[0])
          ) {
            hits.push({
              file: pod.owner.file,
              line: pod.owner.doc.lineOf([
                ...pod.path,
                ...path,
                probe,
                'httpGet',
                'path',
              ]),
              message: `${probe} of "${c.name}" calls ${probePath}, which the service does not serve: the probe gets 404`,
            });
          }
        }
      }
    }
    return hits;
  },
};

export const servicePorts: ValidationRule = {
  id: 'D25-service-ports-match',
  title: 'Service ports match the container ports of the pods they select',
  failures: ['D25'],
  severity: 'error',
  fix: 'Use one port everywhere: containerPort, Service port and targetPort (8000 for the services and vLLM).',
  check(repo) {
    const pods = repo.podTemplates();
    return repo.objectsOfKind('Service').flatMap(svc => {
      const selected = pods.filter(p =>
        labelsMatch(svc.value.spec?.selector, p.labels),
      );
      if (!selected.length) return [];
      const ports = selected.flatMap(p =>
        containersOf(p.spec).flatMap(({ c }) => c.ports ?? []),
      );
      return (svc.value.spec?.ports ?? []).flatMap(
        (port: any, i: number): RuleHit[] => {
          const target = port?.targetPort ?? port?.port;
          const line = svc.doc.lineOf(['spec', 'ports', i]);
          const hits: RuleHit[] = [];
          const known =
            typeof target === 'number'
              ? ports.some((p: any) => p?.containerPort === target)
              : ports.some((p: any) => p?.name === target);
          if (ports.length && !known) {
            hits.push({
              file: svc.file,
              line,
              message: `Service "${
                svc.name
              }" targets port ${target}, which no container it selects exposes (${ports
                .map((p: any) => p?.containerPort)
                .join(', ')})`,
            });
          }
          if (
            typeof port?.port === 'number' &&
            typeof target === 'number' &&
            port.port !== target
          ) {
            hits.push({
              file: svc.file,
              line,
              severity: 'warning',
              message: `Service "${svc.name}" listens on ${port.port} but forwards to ${target}; URLs and port-forwards that use ${target} fail`,
            });
          }
          return hits;
        },
      );
    });
  },
};

const URL =
  /\b(https?):\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?/g;

export const serviceUrls: ValidationRule = {
  id: 'D26-service-urls-port',
  title: 'In-cluster URLs use a port the Service listens on',
  failures: ['D26'],
  severity: 'error',
  fix: 'Write the Service port into every URL (http://name.namespace.svc.cluster.local:8000), from the same value as the Service.',
  check(repo) {
    const services = repo.objectsOfKind('Service');
    const hits: RuleHit[] = [];
    for (const [file, content] of repo.filesMatching(
      /\.(ya?ml|py|json|env)$/i,
    )) {
      content.split('\n').forEach((line, i) => {
        for (const m of line.matchAll(URL)) {
          const [, scheme, name, namespace, port] = m;
          const svc = services.find(
            s => s.name === name && (!s.namespace || s.namespace === namespace),
          );
          if (!svc) continue;
          const listens = (svc.value.spec?.ports ?? []).map((p: any) =>
            Number(p?.port),
          );
          const defaultPort = scheme === 'https' ? 443 : 80;
          const used = port ? Number(port) : defaultPort;
          if (!listens.includes(used)) {
            hits.push({
              file,
              line: i + 1,
              message: `${
                m[0]
              } uses port ${used}, but Service "${name}" listens on ${listens.join(
                ', ',
              )}; requests time out`,
            });
          }
        }
      });
    }
    return hits;
  },
};
