import type { RawPvc } from '../../workloads/raw';
import { eventsAbout } from '../helpers';
import type { DiagnosticRule, DiagnosticsInput } from '../types';

const pvcObject = (pvc: RawPvc) => ({
  kind: 'PersistentVolumeClaim',
  name: pvc.metadata.name,
  namespace: pvc.metadata.namespace,
});

const pending = (input: DiagnosticsInput) =>
  input.pvcs.filter(p => p.status?.phase === 'Pending');

/** D02: a PVC naming a StorageClass that does not exist, or none and no default. */
export const pvcStorageClassMissing: DiagnosticRule = {
  id: 'pvc-storage-class-missing',
  failureIds: ['D02', 'T-pending'],
  evaluate(input) {
    const classes = new Set(input.storageClasses.map(s => s.name));
    const existing =
      input.storageClasses.map(s => `"${s.name}"`).join(', ') || 'none';
    return pending(input).flatMap(pvc => {
      const wanted = pvc.spec?.storageClassName;
      if (wanted && !classes.has(wanted)) {
        return [
          {
            ruleId: this.id,
            failureIds: this.failureIds,
            severity: 'error' as const,
            title: `StorageClass "${wanted}" does not exist`,
            objects: [pvcObject(pvc)],
            cause: `PVC ${pvc.metadata.name} asks for StorageClass "${wanted}", which the cluster does not have (it has ${existing}), so no volume is ever provisioned and pods mounting it stay Pending.`,
            fix: `Create the "${wanted}" StorageClass in the same change that creates the PVCs, or use an existing class. storageClassName is immutable: delete and recreate the PVC after changing it.`,
            evidence: eventsAbout(
              input,
              'PersistentVolumeClaim',
              pvc.metadata.name,
              pvc.metadata.namespace,
            )[0]?.message,
          },
        ];
      }
      if (
        wanted === undefined &&
        !input.storageClasses.some(s => s.isDefault)
      ) {
        return [
          {
            ruleId: this.id,
            failureIds: this.failureIds,
            severity: 'error' as const,
            title: 'No StorageClass and no default class',
            objects: [pvcObject(pvc)],
            cause: `PVC ${pvc.metadata.name} names no StorageClass and the cluster has no default one (classes: ${existing}).`,
            fix: 'Set storageClassName on the PVC, or mark a StorageClass as default with the annotation storageclass.kubernetes.io/is-default-class: "true".',
          },
        ];
      }
      return [];
    });
  },
};

const UNBOUND_AFTER_MS = 60_000;

/**
 * D01: a PVC whose StorageClass exists but that stays Pending: nothing
 * provisions the volume (on EKS, typically no EBS CSI driver).
 */
export const pvcUnbound: DiagnosticRule = {
  id: 'pvc-unbound',
  failureIds: ['D01', 'T-pending'],
  evaluate(input) {
    return pending(input).flatMap(pvc => {
      const sc =
        input.storageClasses.find(s => s.name === pvc.spec?.storageClassName) ??
        (pvc.spec?.storageClassName === undefined
          ? input.storageClasses.find(s => s.isDefault)
          : undefined);
      if (!sc) return [];
      const created = Date.parse(pvc.metadata.creationTimestamp ?? '');
      if (Number.isFinite(created) && input.now - created < UNBOUND_AFTER_MS)
        return [];
      const events = eventsAbout(
        input,
        'PersistentVolumeClaim',
        pvc.metadata.name,
        pvc.metadata.namespace,
      );
      const waitsForConsumer = sc.volumeBindingMode === 'WaitForFirstConsumer';
      const selectedNode =
        pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'];
      // WaitForFirstConsumer claims stay Pending until a pod using them is scheduled.
      if (waitsForConsumer && !selectedNode && events.length === 0) return [];
      const inTree = sc.provisioner.startsWith('kubernetes.io/');
      return [
        {
          ruleId: this.id,
          failureIds: this.failureIds,
          severity: 'error' as const,
          title: `PVC ${pvc.metadata.name} is not bound`,
          objects: [pvcObject(pvc)],
          cause: inTree
            ? `PVC ${pvc.metadata.name} uses StorageClass "${sc.name}" with the in-tree provisioner ${sc.provisioner}, which no longer provisions volumes on current EKS versions without the EBS CSI driver, so the claim stays Pending.`
            : `PVC ${pvc.metadata.name} uses StorageClass "${sc.name}" (provisioner ${sc.provisioner}) but no volume has been provisioned: the provisioner is not installed or cannot create volumes.`,
          fix: 'Install the storage driver (on EKS the aws-ebs-csi-driver add-on with an IRSA role), and use a StorageClass whose provisioner is ebs.csi.aws.com.',
          evidence: events[0]?.message,
        },
      ];
    });
  },
};
