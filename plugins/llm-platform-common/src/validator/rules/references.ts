import { containersOf } from '../k8s';
import type { RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

/** Names created by hand, as documented: `kubectl create secret generic NAME`. */
function documentedNames(repo: RepoIndex, what: 'secret' | 'configmap') {
  const pattern =
    what === 'secret'
      ? /kubectl\s+(?:-n\s+\S+\s+)?create\s+secret\s+(?:generic|docker-registry|tls)\s+([a-z0-9][a-z0-9.-]*)/g
      : /kubectl\s+(?:-n\s+\S+\s+)?create\s+configmap\s+([a-z0-9][a-z0-9.-]*)/g;
  const names = new Set<string>();
  for (const [, content] of repo.filesMatching(/\.(md|sh|txt)$/i)) {
    for (const m of content.matchAll(pattern)) names.add(m[1]);
  }
  return names;
}

function definedNames(repo: RepoIndex) {
  const configMaps = documentedNames(repo, 'configmap');
  const secrets = documentedNames(repo, 'secret');
  for (const o of repo.objectsOfKind('ConfigMap')) configMaps.add(o.name);
  for (const o of repo.objectsOfKind('Secret')) secrets.add(o.name);
  for (const o of repo.objectsOfKind('ExternalSecret', 'SealedSecret')) {
    secrets.add(o.value.spec?.target?.name ?? o.name);
  }
  for (const k of repo.kustomizations) {
    for (const g of k.value.configMapGenerator ?? [])
      if (g?.name) configMaps.add(g.name);
    for (const g of k.value.secretGenerator ?? [])
      if (g?.name) secrets.add(g.name);
  }
  return { configMaps, secrets };
}

export const referencedConfigDefined: ValidationRule = {
  id: 'D06-referenced-config-defined',
  title: 'Every ConfigMap and Secret a pod mounts or reads is defined',
  failures: ['D06', 'D29'],
  severity: 'error',
  fix: 'Define the ConfigMap in the manifests (or a configMapGenerator); create Secrets outside the repository and document the `kubectl create secret` command, or use an ExternalSecret.',
  check(repo) {
    const { configMaps, secrets } = definedNames(repo);
    const hits: RuleHit[] = [];
    for (const pod of repo.podTemplates()) {
      const at = (path: (string | number)[]) =>
        pod.owner.doc.lineOf([...pod.path, ...path]);
      const report = (
        kind: 'ConfigMap' | 'Secret',
        name: string,
        path: (string | number)[],
      ) => {
        const known = kind === 'ConfigMap' ? configMaps : secrets;
        if (!name || known.has(name)) return;
        hits.push({
          file: pod.owner.file,
          line: at(path),
          message: `${pod.owner.kind} "${pod.owner.name}" uses ${kind} "${name}", which nothing in the repository defines or documents; the pod fails with FailedMount or CreateContainerConfigError`,
        });
      };
      (pod.spec.volumes ?? []).forEach((v: any, i: number) => {
        if (v?.configMap && !v.configMap.optional) {
          report('ConfigMap', v.configMap.name, [
            'volumes',
            i,
            'configMap',
            'name',
          ]);
        }
        if (v?.secret && !v.secret.optional) {
          report('Secret', v.secret.secretName, [
            'volumes',
            i,
            'secret',
            'secretName',
          ]);
        }
        (v?.projected?.sources ?? []).forEach((s: any, j: number) => {
          const base = ['volumes', i, 'projected', 'sources', j];
          if (s?.configMap && !s.configMap.optional) {
            report('ConfigMap', s.configMap.name, [
              ...base,
              'configMap',
              'name',
            ]);
          }
          if (s?.secret && !s.secret.optional) {
            report('Secret', s.secret.name, [...base, 'secret', 'name']);
          }
        });
      });
      for (const { c, path } of containersOf(pod.spec)) {
        (c.env ?? []).forEach((e: any, i: number) => {
          const cm = e?.valueFrom?.configMapKeyRef;
          const sec = e?.valueFrom?.secretKeyRef;
          if (cm && !cm.optional)
            report('ConfigMap', cm.name, [...path, 'env', i]);
          if (sec && !sec.optional)
            report('Secret', sec.name, [...path, 'env', i]);
        });
        (c.envFrom ?? []).forEach((e: any, i: number) => {
          if (e?.configMapRef && !e.configMapRef.optional) {
            report('ConfigMap', e.configMapRef.name, [...path, 'envFrom', i]);
          }
          if (e?.secretRef && !e.secretRef.optional) {
            report('Secret', e.secretRef.name, [...path, 'envFrom', i]);
          }
        });
      }
    }
    return hits;
  },
};

const PLACEHOLDER =
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^<[^>]+>$|^(changeme|CHANGEME|REPLACE_ME|TODO)$/;
const SECRET_ENV = /(TOKEN|PASSWORD|PASSWD|SECRET|API_KEY|ACCESS_KEY)$/i;

export const noCommittedSecrets: ValidationRule = {
  id: 'D17-no-committed-secrets',
  title: 'No secret value, and no unfilled secret placeholder, is committed',
  failures: ['D17', 'D06'],
  severity: 'error',
  fix: 'Remove the Secret from the repository; create it with `kubectl create secret generic ... --from-literal` (documented in the README) or an ExternalSecret, and reference it by name.',
  check(repo) {
    const hits: RuleHit[] = [];
    for (const secret of repo.objectsOfKind('Secret')) {
      for (const field of ['data', 'stringData']) {
        for (const [key, value] of Object.entries(secret.value[field] ?? {})) {
          const text = String(value ?? '');
          if (!text) continue;
          hits.push({
            file: secret.file,
            line: secret.doc.lineOf([field, key]),
            message: PLACEHOLDER.test(text)
              ? `Secret "${secret.name}" key "${key}" holds the placeholder ${text}, which kubectl never substitutes: the workload gets the literal text`
              : `Secret "${secret.name}" key "${key}" holds a literal value committed to the repository`,
          });
        }
      }
    }
    for (const pod of repo.podTemplates()) {
      for (const { c, path } of containersOf(pod.spec)) {
        (c.env ?? []).forEach((e: any, i: number) => {
          if (
            e?.name &&
            SECRET_ENV.test(e.name) &&
            typeof e.value === 'string' &&
            e.value
          ) {
            hits.push({
              file: pod.owner.file,
              line: pod.owner.doc.lineOf([
                ...pod.path,
                ...path,
                'env',
                i,
                'value',
              ]),
              message: `${pod.owner.kind} "${pod.owner.name}" sets ${e.name} to a literal value; secrets belong in a Secret created outside the repository`,
              fix: 'Use valueFrom.secretKeyRef to a Secret that is created outside the repository.',
            });
          }
        });
      }
    }
    for (const [file, content] of repo.files) {
      content.split('\n').forEach((line, i) => {
        // A database or broker URL with its password written out; $(VAR) and
        // ${VAR} references are filled in at run time and are fine.
        const credentials =
          /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:([^\s@'"]+)@/i.exec(line);
        if (
          credentials &&
          !/^(\$\(|\$\{|\$[A-Za-z_])/.test(credentials[1]) &&
          !/\.(sh|md)$/.test(file)
        ) {
          hits.push({
            file,
            line: i + 1,
            message:
              'a connection URL with its password is committed; everyone who can read the repository can read the database',
            fix: 'Keep the URL in a Secret created outside the repository (scripts/create-secrets.sh) and read it with envFrom or secretKeyRef.',
          });
        }
        if (/\bhf_[A-Za-z0-9]{30,}\b/.test(line)) {
          hits.push({
            file,
            line: i + 1,
            message: 'a Hugging Face access token is committed',
            fix: 'Revoke the token, remove it, and read it from a Secret created outside the repository.',
          });
        }
      });
    }
    return hits;
  },
};
