import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from './annotations';
import {
  InvalidSelectorError,
  assertLabelValue,
  assertNamespace,
  formatLabelSelector,
  parseLabelSelector,
} from './labelSelector';

/**
 * Which workloads belong to an entity, or why none can be selected.
 *
 * @public
 */
export type WorkloadSelector =
  | {
      configured: true;
      /** Canonical label selector sent to the Kubernetes API. */
      labelSelector: string;
      /** Only this namespace, when the entity names one. */
      namespace?: string;
    }
  | {
      configured: false;
      /** `missing`: no annotation; `invalid`: an annotation does not parse. */
      reason: 'missing' | 'invalid';
      message: string;
    };

/**
 * Reads the official Kubernetes plugin's annotations into a validated workload
 * selector, following that plugin's precedence (label selector over id).
 *
 * @public
 */
export function getWorkloadSelector(entity: Entity): WorkloadSelector {
  const annotations = entity.metadata.annotations ?? {};
  const selector = annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim();
  const id = annotations[ANNOTATION_KUBERNETES_ID]?.trim();
  const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim();

  if (!selector && !id) {
    return {
      configured: false,
      reason: 'missing',
      message: `The entity has neither a "${ANNOTATION_KUBERNETES_ID}" nor a "${ANNOTATION_KUBERNETES_LABEL_SELECTOR}" annotation, so no workloads can be selected.`,
    };
  }
  try {
    let labelSelector: string;
    if (selector) {
      labelSelector = formatLabelSelector(parseLabelSelector(selector));
    } else {
      assertLabelValue(id!, `annotation "${ANNOTATION_KUBERNETES_ID}" value`);
      labelSelector = `${ANNOTATION_KUBERNETES_ID}=${id}`;
    }
    if (namespace) {
      assertNamespace(namespace);
    }
    return {
      configured: true,
      labelSelector,
      namespace: namespace || undefined,
    };
  } catch (error) {
    if (error instanceof InvalidSelectorError) {
      return { configured: false, reason: 'invalid', message: error.message };
    }
    throw error;
  }
}
