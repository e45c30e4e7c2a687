import type { ValidationRule } from '../types';
import { generalCapacity } from './capacity';
import { otelLokiExporter, lokiRemovedFields } from './config';
import { imageTagsPushed, noAccountPlaceholder } from './images';
import { noCopyFromParent, pythonDependencies, pythonPath } from './docker';
import { devicePlugin, gpuAmiType, requestsFitNode, vllmFits } from './gpu';
import {
  crdInstalled,
  generatorMergeHasBase,
  kustomizePathsExist,
  noCommonLabels,
} from './kustomize';
import { noCommittedSecrets, referencedConfigDefined } from './references';
import { lokiFsGroup, prometheusFsGroup } from './security';
import { healthEndpoints, servicePorts, serviceUrls } from './services';
import { albIngress } from './ingress';
import {
  networkPolicyDns,
  networkPolicyNamespaceCovered,
} from './networkPolicy';
import { inferenceServiceRuntime } from './kserve';
import { pinnedVersions } from './versions';
import { ebsCsiDriver, storageClassDefined } from './storage';
import {
  addonsAfterNodes,
  noneClientCalls,
  idempotentAddons,
  launchTemplateUserData,
  terraformTags,
  unresolvedInterpolation,
} from './terraform';

/**
 * The preflight rule catalogue, in FAILURES.md order.
 *
 * @public
 */
export const VALIDATION_RULES: readonly ValidationRule[] = [
  ebsCsiDriver,
  storageClassDefined,
  prometheusFsGroup,
  lokiRemovedFields,
  lokiFsGroup,
  referencedConfigDefined,
  otelLokiExporter,
  crdInstalled,
  gpuAmiType,
  devicePlugin,
  requestsFitNode,
  generalCapacity,
  generatorMergeHasBase,
  noCommonLabels,
  vllmFits,
  noCommittedSecrets,
  kustomizePathsExist,
  noAccountPlaceholder,
  imageTagsPushed,
  noCopyFromParent,
  pythonPath,
  pythonDependencies,
  healthEndpoints,
  servicePorts,
  serviceUrls,
  noneClientCalls,
  idempotentAddons,
  launchTemplateUserData,
  unresolvedInterpolation,
  addonsAfterNodes,
  terraformTags,
  // Causes a user meets on a cluster (troubleshooting seed, T-*).
  albIngress,
  networkPolicyDns,
  networkPolicyNamespaceCovered,
  inferenceServiceRuntime,
  pinnedVersions,
];
