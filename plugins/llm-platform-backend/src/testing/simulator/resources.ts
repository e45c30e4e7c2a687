/** A resource the simulator serves, with the API path segments it lives under. */
export interface SimulatedResource {
  /** Empty for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Field selector keys the real apiserver accepts for this resource. */
  fields: string[];
  /** A custom resource: served only where its CustomResourceDefinition is stored. */
  crd?: boolean;
}

const META = ['metadata.name', 'metadata.namespace'];

const resource = (
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced = true,
  fields: string[] = [],
): SimulatedResource => ({
  group,
  version,
  plural,
  kind,
  namespaced,
  fields: [...META, ...fields],
});

// The kinds LLM Platform reads, plus those the official Kubernetes backend
// lists, so both can be measured against the same simulated cluster.
export const RESOURCES: SimulatedResource[] = [
  resource('', 'v1', 'pods', 'Pod', true, [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ]),
  resource('', 'v1', 'nodes', 'Node', false, ['spec.unschedulable']),
  resource('', 'v1', 'events', 'Event', true, [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ]),
  resource('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
  resource('', 'v1', 'persistentvolumes', 'PersistentVolume', false),
  resource('', 'v1', 'services', 'Service'),
  resource('', 'v1', 'configmaps', 'ConfigMap'),
  resource('', 'v1', 'secrets', 'Secret', true, ['type']),
  resource('', 'v1', 'limitranges', 'LimitRange'),
  resource('', 'v1', 'resourcequotas', 'ResourceQuota'),
  resource('', 'v1', 'namespaces', 'Namespace', false, ['status.phase']),
  resource('apps', 'v1', 'deployments', 'Deployment'),
  resource('apps', 'v1', 'replicasets', 'ReplicaSet', true, [
    'status.replicas',
  ]),
  resource('apps', 'v1', 'statefulsets', 'StatefulSet'),
  resource('apps', 'v1', 'daemonsets', 'DaemonSet'),
  resource('batch', 'v1', 'jobs', 'Job', true, ['status.successful']),
  resource('batch', 'v1', 'cronjobs', 'CronJob'),
  resource(
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
  ),
  resource(
    'autoscaling',
    'v1',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
  ),
  resource('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
  resource('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  resource('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics'),
  resource(
    'apiextensions.k8s.io',
    'v1',
    'customresourcedefinitions',
    'CustomResourceDefinition',
    false,
  ),
  // Karpenter's pending capacity; 404 unless the scenario installs the CRD.
  {
    ...resource('karpenter.sh', 'v1', 'nodeclaims', 'NodeClaim', false),
    crd: true,
  },
];

/** The resource for a kind as written in scenario objects (`apiVersion` + `kind`). */
export function resourceForObject(
  apiVersion: string,
  kind: string,
): SimulatedResource | undefined {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return RESOURCES.find(
    r => r.kind === kind && r.group === group && r.version === version,
  );
}

export function resourceKey(r: { group: string; plural: string }): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
