import type { Entity } from '@backstage/catalog-model';
import { hasWorkloadAnnotations } from '@llm-platform/backstage-plugin-llm-platform-common';

/**
 * True when the entity carries `backstage.io/kubernetes-id` or
 * `backstage.io/kubernetes-label-selector`, so the LLM Platform tab and card
 * have workloads to show.
 *
 * @public
 */
export const isLlmPlatformAvailable = (entity: Entity): boolean =>
  hasWorkloadAnnotations(entity);
