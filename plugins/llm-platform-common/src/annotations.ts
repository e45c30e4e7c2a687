import type { Entity } from '@backstage/catalog-model';

/**
 * The official Kubernetes plugin's annotation whose value becomes the label
 * selector `backstage.io/kubernetes-id=<value>`.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * The official Kubernetes plugin's annotation holding a full label selector.
 * When present it wins over {@link ANNOTATION_KUBERNETES_ID}, as it does there.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/**
 * The official Kubernetes plugin's annotation restricting the namespace.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/**
 * Comma-separated names under which the entity's vLLM servers serve models
 * (the `model_name` label of vLLM metrics).
 *
 * @public
 */
export const ANNOTATION_MODEL_NAMES = 'llm-platform.io/model-names';

/**
 * The name of the configured Prometheus instance that scrapes the entity.
 *
 * @public
 */
export const ANNOTATION_PROMETHEUS_INSTANCE = 'llm-platform.io/prometheus';

/**
 * True when the entity carries an annotation that selects its workloads.
 * Frontend extensions use this to decide whether to show the LLM Platform tab.
 *
 * @public
 */
export function hasWorkloadAnnotations(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID]?.trim() ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim(),
  );
}
