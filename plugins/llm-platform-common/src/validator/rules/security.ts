import { containersOf } from '../k8s';
import type { ValidationRule } from '../types';

function fsGroupRule(
  failure: string,
  product: string,
  image: RegExp,
  uid: number,
): ValidationRule {
  return {
    id: `${failure}-${product.toLowerCase()}-fsgroup`,
    title: `${product} pods that write a volume set fsGroup`,
    failures: [failure],
    severity: 'error',
    fix: `Set spec.template.spec.securityContext: { fsGroup: ${uid}, runAsUser: ${uid}, runAsNonRoot: true } so the volume is writable by ${product}'s user.`,
    check(repo) {
      return repo.podTemplates().flatMap(pod => {
        const uses = containersOf(pod.spec).some(({ c }) =>
          image.test(String(c.image ?? '')),
        );
        if (!uses) return [];
        const persistent =
          (pod.spec.volumes ?? []).some((v: any) => v?.persistentVolumeClaim) ||
          (pod.owner.value.spec?.volumeClaimTemplates ?? []).length > 0;
        if (!persistent || pod.spec.securityContext?.fsGroup !== undefined)
          return [];
        return [
          {
            file: pod.owner.file,
            line: pod.owner.doc.lineOf([
              ...pod.path,
              pod.spec.securityContext ? 'securityContext' : 'containers',
            ]),
            message: `${pod.owner.kind} "${pod.owner.name}" runs ${product} (UID ${uid}) on a persistent volume without securityContext.fsGroup; the volume mounts root-owned and ${product} crashes with "permission denied"`,
          },
        ];
      });
    },
  };
}

export const prometheusFsGroup = fsGroupRule(
  'D03',
  'Prometheus',
  /(^|\/)prometheus(:|@|$)/,
  65534,
);
export const lokiFsGroup = fsGroupRule(
  'D05',
  'Loki',
  /(^|\/)loki(:|@|$)/,
  10001,
);
