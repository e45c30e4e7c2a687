import { helmCharts } from '../infra';
import { joinPath, type Kustomization, type RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

const REMOTE = /^(https?:|git@|github\.com\/|ssh:)/;

function pathsOf(k: Kustomization) {
  const out: { field: string; ref: string; path: (string | number)[] }[] = [];
  for (const field of [
    'resources',
    'bases',
    'components',
    'crds',
    'patchesStrategicMerge',
  ]) {
    (k.value[field] ?? []).forEach((ref: unknown, i: number) => {
      if (typeof ref === 'string') out.push({ field, ref, path: [field, i] });
    });
  }
  (k.value.patches ?? []).forEach((p: any, i: number) => {
    if (typeof p?.path === 'string')
      out.push({ field: 'patches', ref: p.path, path: ['patches', i, 'path'] });
  });
  for (const gen of ['configMapGenerator', 'secretGenerator']) {
    (k.value[gen] ?? []).forEach((g: any, i: number) => {
      for (const key of ['files', 'envs']) {
        (g?.[key] ?? []).forEach((f: unknown, j: number) => {
          if (typeof f === 'string') {
            out.push({
              field: gen,
              ref: f.includes('=') ? f.slice(f.indexOf('=') + 1) : f,
              path: [gen, i, key, j],
            });
          }
        });
      }
    });
  }
  return out;
}

function hasKustomization(repo: RepoIndex, dir: string) {
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some(f =>
    repo.files.has(dir ? `${dir}/${f}` : f),
  );
}

export const kustomizePathsExist: ValidationRule = {
  id: 'D18-kustomize-paths-exist',
  title: 'Every path a kustomization lists exists',
  failures: ['D18'],
  severity: 'error',
  fix: 'Remove the entry or restore the file; a directory entry must hold a kustomization.yaml.',
  check(repo) {
    return repo.kustomizations.flatMap(k =>
      pathsOf(k).flatMap(({ field, ref, path }): RuleHit[] => {
        if (REMOTE.test(ref)) return [];
        const target = joinPath(k.dir, ref);
        const line = k.doc.lineOf(path);
        if (target === undefined) {
          return [
            {
              file: k.file,
              line,
              message: `${field} entry "${ref}" points outside the repository`,
            },
          ];
        }
        if (!repo.exists(target)) {
          return [
            {
              file: k.file,
              line,
              message: `${field} entry "${ref}" does not exist; kustomize fails with "accumulating resources ... no such file or directory"`,
            },
          ];
        }
        if (
          repo.isDir(target) &&
          !hasKustomization(repo, target) &&
          field !== 'configMapGenerator' &&
          field !== 'secretGenerator'
        ) {
          return [
            {
              file: k.file,
              line,
              message: `${field} entry "${ref}" is a directory without a kustomization.yaml`,
            },
          ];
        }
        return [];
      }),
    );
  },
};

export const noCommonLabels: ValidationRule = {
  id: 'D14-no-common-labels',
  title: 'Kustomizations use labels, not the deprecated commonLabels',
  failures: ['D14', 'D15'],
  severity: 'error',
  fix: 'Replace commonLabels with `labels: [{ pairs: {...}, includeSelectors: false, includeTemplates: true }]`; selectors are immutable on live objects, so never change them.',
  check(repo) {
    return repo.kustomizations
      .filter(k => k.value.commonLabels)
      .map(k => ({
        file: k.file,
        line: k.doc.lineOf(['commonLabels']),
        message:
          'commonLabels is deprecated and also rewrites selectors; changing it later breaks apply with "field is immutable"',
      }));
  },
};

export const generatorMergeHasBase: ValidationRule = {
  id: 'D13-generator-merge-base',
  title: 'configMapGenerator merge or replace targets a generated ConfigMap',
  failures: ['D13'],
  severity: 'error',
  fix: 'Generate the ConfigMap in the base with configMapGenerator too, or patch the plain ConfigMap with a strategic-merge patch.',
  check(repo) {
    return repo.kustomizations.flatMap(k =>
      (k.value.configMapGenerator ?? []).flatMap(
        (g: any, i: number): RuleHit[] => {
          if (!['merge', 'replace'].includes(g?.behavior)) return [];
          const generatedElsewhere = repo.kustomizations.some(
            other =>
              other !== k &&
              (other.value.configMapGenerator ?? []).some(
                (o: any) => o?.name === g.name,
              ),
          );
          if (generatedElsewhere) return [];
          const plain = repo
            .objectsOfKind('ConfigMap')
            .some(o => o.name === g.name);
          return [
            {
              file: k.file,
              line: k.doc.lineOf(['configMapGenerator', i, 'behavior']),
              message: plain
                ? `configMapGenerator "${g.name}" ${g.behavior}s onto a plain ConfigMap; kustomize only merges generated ones and fails`
                : `configMapGenerator "${g.name}" ${g.behavior}s, but no base generates "${g.name}"`,
            },
          ];
        },
      ),
    );
  },
};

const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'resource.k8s.io',
  // Installed by EKS itself (VPC CNI and the VPC resource controller).
  'vpcresources.k8s.aws',
  'crd.k8s.amazonaws.com',
  'networking.k8s.aws',
]);

/** API groups whose CRDs a Helm chart installs. */
const CHART_GROUPS: Record<string, string[]> = {
  'kube-prometheus-stack': ['monitoring.coreos.com'],
  'prometheus-operator-crds': ['monitoring.coreos.com'],
  karpenter: ['karpenter.sh', 'karpenter.k8s.aws'],
  'karpenter-crd': ['karpenter.sh', 'karpenter.k8s.aws'],
  'external-secrets': ['external-secrets.io'],
  'cert-manager': ['cert-manager.io', 'acme.cert-manager.io'],
  'aws-load-balancer-controller': ['elbv2.k8s.aws'],
  'argo-workflows': ['argoproj.io'],
  'kserve-crd': ['serving.kserve.io'],
  kserve: ['serving.kserve.io'],
  'gpu-operator': ['nvidia.com'],
  'opentelemetry-operator': ['opentelemetry.io'],
  keda: ['keda.sh'],
};

/** Files some kustomization applies (directly listed), or undefined when there are no kustomizations. */
function appliedFiles(repo: RepoIndex): Set<string> | undefined {
  if (!repo.kustomizations.length) return undefined;
  const files = new Set<string>();
  for (const k of repo.kustomizations) {
    for (const { ref } of pathsOf(k)) {
      const target = joinPath(k.dir, ref);
      if (target && repo.files.has(target)) files.add(target);
    }
  }
  return files;
}

export const crdInstalled: ValidationRule = {
  id: 'D08-crd-installed',
  title: 'Custom resources are only applied where their CRD is installed',
  failures: ['D08'],
  severity: 'error',
  fix: 'Install the operator that owns the CRD (in Terraform or the manifests), or keep the resource out of the kustomization behind an explicit option.',
  check(repo) {
    const provided = new Set<string>();
    for (const crd of repo.objectsOfKind('CustomResourceDefinition')) {
      if (crd.value.spec?.group) provided.add(crd.value.spec.group);
    }
    for (const chart of helmCharts(repo)) {
      for (const g of CHART_GROUPS[chart] ?? []) provided.add(g);
    }
    const applied = appliedFiles(repo);
    const kustomizedDirs = new Set(repo.kustomizations.map(k => k.dir));
    return repo.objects.flatMap((o): RuleHit[] => {
      const group = o.apiVersion.includes('/')
        ? o.apiVersion.split('/')[0]
        : '';
      if (
        BUILT_IN_GROUPS.has(group) ||
        group.endsWith('backstage.io') ||
        group.startsWith('kustomize.')
      ) {
        return [];
      }
      const dir = o.file.includes('/')
        ? o.file.slice(0, o.file.lastIndexOf('/'))
        : '';
      if (applied && !applied.has(o.file) && kustomizedDirs.has(dir)) return [];
      if (provided.has(group)) return [];
      return [
        {
          file: o.file,
          line: o.doc.lineOf(['apiVersion']),
          message: `${o.kind} "${o.name}" (${o.apiVersion}) needs a CRD that nothing in the repository installs; apply fails with "no matches for kind ${o.kind}"`,
        },
      ];
    });
  },
};
