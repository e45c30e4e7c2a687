import type {
  DiagnosticFinding,
  DiagnosticObject,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import type { NodeInfo, StorageClassInfo } from '../workloads/nodes';
import type { RawEvent, RawPod, RawPvc } from '../workloads/raw';

/** What the rules see: the entity's objects and the cluster's nodes. */
export interface DiagnosticsInput {
  /** The entity's pods. */
  pods: readonly RawPod[];
  /** Every node of the cluster. */
  nodes: NodeInfo[];
  /** PVCs the entity's pods mount. */
  pvcs: RawPvc[];
  storageClasses: StorageClassInfo[];
  /** Warning events about the entity's pods and PVCs. */
  events: RawEvent[];
  /** Milliseconds since the epoch; rules use it for ages. */
  now: number;
}

/** One failure mode, recognised from the cluster's state. */
export interface DiagnosticRule {
  id: string;
  /** FAILURES.md ids this rule recognises. */
  failureIds: string[];
  /**
   * Whether the rule needs every pod. Other rules see only the pods that
   * need attention (see `needsAttention`): a pod running all its containers
   * ready, never restarted and without warning events cannot match them.
   */
  allPods?: boolean;
  evaluate(input: DiagnosticsInput): DiagnosticFinding[];
}

export type { DiagnosticFinding, DiagnosticObject };
