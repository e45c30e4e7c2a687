// The fields of Kubernetes objects this plugin reads, as the API serves them
// in JSON (timestamps are strings). Everything else is ignored.

export interface RawMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }>;
}

export interface RawContainer {
  name: string;
  image?: string;
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
  startupProbe?: object;
  readinessProbe?: object;
  livenessProbe?: object;
}

export interface RawContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: {
    reason?: string;
    message?: string;
    exitCode?: number;
    finishedAt?: string;
  };
}

export interface RawContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: RawContainerState;
  lastState?: RawContainerState;
}

export interface RawToleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface RawVolume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName: string; optional?: boolean };
}

export interface RawPodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: RawToleration[];
  containers?: RawContainer[];
  initContainers?: RawContainer[];
  volumes?: RawVolume[];
}

export interface RawPod {
  metadata: RawMeta;
  /**
   * Not Kubernetes': the model names vLLM serves in the pod, read from its
   * containers' arguments when the informer trims it (the arguments are not
   * kept). Absent when none is named.
   */
  modelNames?: string[];
  spec?: RawPodSpec;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
    }>;
    containerStatuses?: RawContainerStatus[];
    initContainerStatuses?: RawContainerStatus[];
  };
}

export interface RawTaint {
  key: string;
  value?: string;
  effect: string;
}

export interface RawNode {
  metadata: RawMeta;
  spec?: { unschedulable?: boolean; taints?: RawTaint[] };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Array<{ type: string; status: string }>;
  };
}

export interface RawOwner {
  metadata: RawMeta;
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number };
}

export interface RawPvc {
  metadata: RawMeta;
  spec?: { storageClassName?: string; volumeName?: string };
  status?: { phase?: string };
}

export interface RawStorageClass {
  metadata: RawMeta;
  provisioner?: string;
  volumeBindingMode?: string;
}

export interface RawEvent {
  metadata: RawMeta;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  /** Set instead of the timestamps by clients of the events.k8s.io API. */
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
}
