import { podsOf } from './podTable';
import type {
  ClusterWorkloads,
  ContainerSummary,
  PodSummary,
  PodTemplateSummary,
  ResolvedPod,
} from './workloads';

const NO_TEMPLATE: PodTemplateSummary = {
  containers: [],
  requests: {},
  limits: {},
};

const resolved = new WeakMap<
  PodSummary,
  { template: PodTemplateSummary; generatedAt: string; pod: ResolvedPod }
>();

function resolve(
  pod: PodSummary,
  template: PodTemplateSummary,
  generatedAt: string,
): ResolvedPod {
  const containers = template.containers.map((spec, i): ContainerSummary => {
    const status = pod.containers?.[i];
    const container: ContainerSummary = {
      name: spec.name,
      image: spec.image,
      init: spec.init === true,
      // Omitted statuses mean running, ready and never restarted.
      ready: status ? status.ready : true,
      restartCount: status?.restartCount ?? 0,
      state: status?.state ?? 'running',
      requests: spec.requests ?? {},
      limits: spec.limits ?? {},
    };
    if (status?.reason) container.reason = status.reason;
    if (status?.message) container.message = status.message;
    if (status?.exitCode !== undefined) container.exitCode = status.exitCode;
    if (status?.lastTermination) {
      container.lastTermination = status.lastTermination;
    }
    return container;
  });
  const out: ResolvedPod = {
    name: pod.name,
    namespace: pod.namespace,
    phase: pod.phase,
    readyContainers: pod.readyContainers,
    totalContainers: containers.filter(c => !c.init).length,
    restarts: pod.restarts ?? 0,
    containers,
    requests: template.requests,
    limits: template.limits,
  };
  if (pod.reason) out.reason = pod.reason;
  if (pod.message) out.message = pod.message;
  if (pod.createdAt) {
    out.createdAt = pod.createdAt;
    const age = Date.parse(generatedAt) - Date.parse(pod.createdAt);
    if (!Number.isNaN(age))
      out.ageSeconds = Math.max(0, Math.round(age / 1000));
  }
  if (pod.node) out.node = pod.node;
  if (template.owner) out.owner = template.owner;
  if (pod.events) out.events = pod.events;
  return out;
}

/**
 * The pods of a cluster (table or objects, see `podsOf`) with their templates
 * applied and defaults filled in.
 * Memoised per pod object: a pod that a refresh left unchanged (the same
 * object, with the same template and answer time) resolves to the same
 * object, so what is drawn from it need not be drawn again.
 *
 * @public
 */
export function resolvePods(
  cluster: Pick<ClusterWorkloads, 'pods' | 'podTable' | 'podTemplates'>,
  generatedAt: string,
): ResolvedPod[] {
  return podsOf(cluster).map(pod => {
    const template = cluster.podTemplates[pod.template] ?? NO_TEMPLATE;
    const known = resolved.get(pod);
    if (
      known &&
      known.template === template &&
      known.generatedAt === generatedAt
    ) {
      return known.pod;
    }
    const value = resolve(pod, template, generatedAt);
    resolved.set(pod, { template, generatedAt, pod: value });
    return value;
  });
}
