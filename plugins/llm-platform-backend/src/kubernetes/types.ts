import type { ClusterErrorKind } from '@llm-platform/backstage-plugin-llm-platform-common';

/** How the backend authenticates to one cluster. */
export type ClusterAuth =
  | { provider: 'serviceAccount'; token: string }
  | {
      provider: 'aws';
      /** EKS cluster name sent as `x-k8s-aws-id`. */
      clusterId: string;
      assumeRole?: string;
      externalId?: string;
    }
  /** A context of a local kubeconfig: client-node applies its user (token, cert, exec). */
  | { provider: 'kubeconfig'; kubeconfigPath?: string; context: string }
  | { provider: 'anonymous' };

/** One cluster, read from the same config as the official Kubernetes plugin. */
export interface ClusterConfig {
  name: string;
  url: string;
  auth: ClusterAuth;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

/** A list request; the path is relative to the API root, e.g. `/api/v1/pods`. */
export interface ListRequest {
  /** `list pods`, `list replicasets`: the RBAC verb and resource, used in errors. */
  description: string;
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * The Accept header; `application/json` when absent. A list of metadata
   * only is asked for with `application/json;as=PartialObjectMetadataList;
   * g=meta.k8s.io;v=v1`.
   */
  accept?: string;
  /** Page size; the answer then carries `continue` for the next page. */
  limit?: number;
  continue?: string;
}

export interface ListResult<T> {
  items: T[];
  bytes: number;
  /** The list's resourceVersion, from which a watch continues. */
  resourceVersion?: string;
  /** Token for the next page, when `limit` cut the list. */
  continue?: string;
}

/** A watch from a list's resourceVersion. */
export interface WatchRequest extends ListRequest {
  resourceVersion: string;
  /** The server ends the watch after this long; the caller then resumes. */
  timeoutSeconds: number;
}

export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

/** Reads from one cluster. Credentials stay inside the implementation. */
export interface ClusterClient {
  readonly name: string;
  list<T>(request: ListRequest): Promise<ListResult<T>>;
  /**
   * Streams changes until the server ends the watch (resolves) or it fails
   * (rejects with a ClusterRequestError; status 410 means: list again).
   */
  watch<T>(
    request: WatchRequest,
    onEvent: (type: WatchEventType, object: T) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

/** A failed upstream read, already classified; its message holds no credentials. */
export class ClusterRequestError extends Error {
  readonly name = 'ClusterRequestError';
  constructor(
    readonly kind: ClusterErrorKind,
    readonly request: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
