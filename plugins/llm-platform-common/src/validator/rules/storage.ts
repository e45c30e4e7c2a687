import { helmCharts, tfResources } from '../infra';
import { stringLiterals } from '../hcl';
import type { RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

/** StorageClasses that EKS itself creates. */
const EKS_BUILT_IN_CLASSES = ['gp2'];

function storageClassesDefined(repo: RepoIndex): Set<string> {
  const names = new Set(EKS_BUILT_IN_CLASSES);
  for (const sc of repo.objectsOfKind('StorageClass')) names.add(sc.name);
  for (const type of [
    'kubernetes_storage_class',
    'kubernetes_storage_class_v1',
  ]) {
    for (const block of tfResources(repo, type)) {
      const metadata = block.children.find(c => c.header === 'metadata');
      const name = stringLiterals(metadata?.attrs.get('name')?.value ?? '')[0];
      if (name) names.add(name);
    }
  }
  return names;
}

/** Every claim: PVCs and StatefulSet volumeClaimTemplates. */
function claims(repo: RepoIndex) {
  const out: {
    file: string;
    line: number;
    name: string;
    storageClassName?: string;
  }[] = [];
  for (const pvc of repo.objectsOfKind('PersistentVolumeClaim')) {
    out.push({
      file: pvc.file,
      line: pvc.doc.lineOf(['spec', 'storageClassName']),
      name: pvc.name,
      storageClassName: pvc.value.spec?.storageClassName,
    });
  }
  for (const sts of repo.objectsOfKind('StatefulSet')) {
    (sts.value.spec?.volumeClaimTemplates ?? []).forEach((t: any, i: number) =>
      out.push({
        file: sts.file,
        line: sts.doc.lineOf([
          'spec',
          'volumeClaimTemplates',
          i,
          'spec',
          'storageClassName',
        ]),
        name: t?.metadata?.name ?? sts.name,
        storageClassName: t?.spec?.storageClassName,
      }),
    );
  }
  return out;
}

export const storageClassDefined: ValidationRule = {
  id: 'D02-storage-class-defined',
  title: 'PVCs name a StorageClass that the repository creates',
  failures: ['D02'],
  severity: 'error',
  fix: 'Create the StorageClass (for example gp3 with provisioner ebs.csi.aws.com) in the same code path the PVCs rely on, or name one that exists.',
  check(repo) {
    const defined = storageClassesDefined(repo);
    const hasDefault = repo
      .objectsOfKind('StorageClass')
      .some(
        sc =>
          sc.value.metadata?.annotations?.[
            'storageclass.kubernetes.io/is-default-class'
          ] === 'true',
      );
    return claims(repo).flatMap((claim): RuleHit[] => {
      if (claim.storageClassName === undefined) {
        return hasDefault
          ? []
          : [
              {
                file: claim.file,
                line: claim.line,
                severity: 'warning',
                message: `PVC "${claim.name}" names no StorageClass and the repository marks none as default; EKS 1.30 and later have no default class, so it stays Pending`,
                fix: 'Set storageClassName to a class the repository creates, or mark that class as default.',
              },
            ];
      }
      if (defined.has(claim.storageClassName)) return [];
      return [
        {
          file: claim.file,
          line: claim.line,
          message: `PVC "${claim.name}" uses StorageClass "${
            claim.storageClassName
          }", which nothing in the repository creates (defined: ${[
            ...defined,
          ].join(', ')}); it stays Pending forever`,
        },
      ];
    });
  },
};

export const ebsCsiDriver: ValidationRule = {
  id: 'D01-ebs-csi-driver',
  title: 'Clusters with PVCs install the EBS CSI driver',
  failures: ['D01', 'D28'],
  severity: 'error',
  fix: 'Add an aws_eks_addon "aws-ebs-csi-driver" resource with its IRSA role (Terraform manages it idempotently, so a re-apply does not fail on an existing addon).',
  check(repo) {
    if (!repo.hcl.length) return [];
    const first = claims(repo)[0];
    if (!first) return [];
    const addon = tfResources(repo, 'aws_eks_addon').some(b =>
      stringLiterals(b.attrs.get('addon_name')?.value ?? '').includes(
        'aws-ebs-csi-driver',
      ),
    );
    const inModule = repo
      .hclBlocks()
      .some(
        b =>
          b.attrs.has('aws-ebs-csi-driver') ||
          /"aws-ebs-csi-driver"/.test(b.header),
      );
    const helm = helmCharts(repo).includes('aws-ebs-csi-driver');
    if (addon || inModule || helm) return [];
    return [
      {
        file: first.file,
        line: first.line,
        message: `PVC "${first.name}" needs the EBS CSI driver, but the Terraform in this repository never installs the aws-ebs-csi-driver addon; PVCs stay Pending`,
      },
    ];
  },
};
