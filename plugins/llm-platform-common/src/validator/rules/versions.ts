import { stringLiterals, type HclBlock } from '../hcl';
import { containersOf, imageTag } from '../k8s';
import type { RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

// A tag that names whatever was pushed last: latest, dev-latest, latest-gpu.
const FLOATING_TAG = /(^|[-_.])latest($|[-_.])/i;
// Characters of a range in a Helm chart version or a Terraform constraint.
const RANGE = /[\^~*<>=|]|(^|\.)[xX](\.|$)|\s-\s|^$/;

/** The image without its tag and digest. */
function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const tag = imageTag(noDigest);
  return tag === undefined
    ? noDigest
    : noDigest.slice(0, noDigest.length - tag.length - 1);
}

/**
 * An image this repository builds: an ECR path ending in a service with a
 * Dockerfile under services/. Its tag is the deploy tag scheme that CI pushes
 * and D20-image-tags-pushed checks, with the commit as the pin.
 */
function builtHere(repo: RepoIndex, name: string): boolean {
  const service = name.split('/').pop();
  return (
    /\.dkr\.ecr\./.test(name) &&
    repo.files.has(`services/${service}/Dockerfile`)
  );
}

/** Why an image reference is not pinned, or undefined when it is. */
function imageProblem(
  repo: RepoIndex,
  image: string,
  tagFromKustomize: boolean,
): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const tag = imageTag(image);
  if (tag === undefined) {
    return tagFromKustomize
      ? undefined
      : `image ${image} has no tag, so every pull takes whatever "latest" is that day`;
  }
  if (/^latest$/i.test(tag)) {
    return `image ${image} uses the tag "latest", which moves with every push`;
  }
  if (FLOATING_TAG.test(tag) && !builtHere(repo, imageName(image))) {
    return `image ${image} uses the moving tag "${tag}"`;
  }
  return undefined;
}

/** Image names whose tag or digest a kustomization sets. */
function kustomizeTagged(repo: RepoIndex): Set<string> {
  const names = new Set<string>();
  for (const k of repo.kustomizations) {
    for (const img of k.value.images ?? []) {
      if (img?.name && (img.newTag !== undefined || img.digest)) {
        names.add(String(img.name));
      }
    }
  }
  return names;
}

function imageHits(repo: RepoIndex): RuleHit[] {
  const tagged = kustomizeTagged(repo);
  const hits: RuleHit[] = [];
  const check = (image: unknown, file: string, line: number) => {
    if (typeof image !== 'string' || !image || image.includes('${')) return;
    const problem = imageProblem(repo, image, tagged.has(imageName(image)));
    if (problem) hits.push({ file, line, message: problem });
  };
  for (const pod of repo.podTemplates()) {
    // KServe predictors: their runtime's containers are checked below.
    if (pod.owner.kind === 'InferenceService') continue;
    for (const { c, path } of containersOf(pod.spec)) {
      check(
        c.image,
        pod.owner.file,
        pod.owner.doc.lineOf([...pod.path, ...path, 'image']),
      );
    }
  }
  for (const o of repo.objectsOfKind(
    'ServingRuntime',
    'ClusterServingRuntime',
  )) {
    containersOf(o.value.spec).forEach(({ c, path }) =>
      check(c.image, o.file, o.doc.lineOf(['spec', ...path, 'image'])),
    );
  }
  for (const o of repo.objectsOfKind(
    'WorkflowTemplate',
    'ClusterWorkflowTemplate',
    'Workflow',
    'CronWorkflow',
  )) {
    const spec =
      o.kind === 'CronWorkflow' ? o.value.spec?.workflowSpec : o.value.spec;
    const prefix =
      o.kind === 'CronWorkflow' ? ['spec', 'workflowSpec'] : ['spec'];
    (spec?.templates ?? []).forEach((t: any, i: number) => {
      for (const key of ['container', 'script']) {
        if (t?.[key]) {
          check(
            t[key].image,
            o.file,
            o.doc.lineOf([...prefix, 'templates', i, key, 'image']),
          );
        }
      }
    });
  }
  for (const k of repo.kustomizations) {
    (k.value.images ?? []).forEach((img: any, i: number) => {
      if (img?.newTag === undefined) return;
      const name = String(img.newName ?? img.name ?? '');
      check(
        `${name}:${img.newTag}`,
        k.file,
        k.doc.lineOf(['images', i, 'newTag']),
      );
    });
  }
  for (const [file, content] of repo.filesMatching(/(^|\/)Dockerfile[^/]*$/)) {
    const stages = new Set<string>();
    content.split('\n').forEach((text, i) => {
      const m = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(text);
      if (!m) return;
      const [, image, stage] = m;
      if (
        !/^scratch$/i.test(image) &&
        !stages.has(image) &&
        !image.includes('$')
      ) {
        const problem = imageProblem(repo, image, false);
        if (problem) hits.push({ file, line: i + 1, message: problem });
      }
      if (stage) stages.add(stage);
    });
  }
  for (const o of repo.objectsOfKind('EC2NodeClass')) {
    (o.value.spec?.amiSelectorTerms ?? []).forEach((t: any, i: number) => {
      if (/@latest$/i.test(String(t?.alias ?? ''))) {
        hits.push({
          file: o.file,
          line: o.doc.lineOf(['spec', 'amiSelectorTerms', i, 'alias']),
          message: `EC2NodeClass "${o.name}" selects the AMI alias ${t.alias}: every new release replaces the nodes with a different AMI`,
          fix: 'Pin the alias to a release, for example al2023@v20250701, and move it on purpose.',
        });
      }
    });
  }
  return hits;
}

function dirOf(file: string) {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** The literal default of `variable "name"` declared next to a file. */
function variableDefault(
  blocks: HclBlock[],
  dir: string,
  name: string,
): string | undefined {
  const variable = blocks.find(
    b => dirOf(b.file) === dir && b.header === `variable "${name}"`,
  );
  const value = variable?.attrs.get('default')?.value;
  return value && /^"[^"$]*"$/.test(value)
    ? stringLiterals(value)[0]
    : undefined;
}

/** Whether a Terraform version constraint has an upper bound. */
function bounded(constraint: string): boolean {
  return constraint
    .split(',')
    .map(part => part.trim())
    .some(part => /^(~>|=|<=?)?\s*v?\d/.test(part));
}

function terraformHits(repo: RepoIndex): RuleHit[] {
  const blocks = repo.hclBlocks();
  const hits: RuleHit[] = [];
  for (const b of blocks.filter(x =>
    /^resource\s+"helm_release"/.test(x.header),
  )) {
    const name = stringLiterals(b.header)[1];
    const attr = b.attrs.get('version');
    const ref = /^var\.([\w-]+)$/.exec(attr?.value ?? '');
    const version = ref
      ? variableDefault(blocks, dirOf(b.file), ref[1])
      : stringLiterals(attr?.value ?? '')[0];
    if (
      version === undefined ||
      RANGE.test(version) ||
      /latest/i.test(version)
    ) {
      hits.push({
        file: b.file,
        line: attr?.line ?? b.line,
        message: attr
          ? `Helm release "${name}" installs chart version ${attr.value}${
              ref ? ' (no literal default)' : ''
            }, not one pinned version`
          : `Helm release "${name}" sets no chart version: every apply may install a newer chart`,
        fix: 'Set version to one chart version (a variable default is fine), and upgrade it on purpose.',
      });
    }
  }
  const constrained = new Map<string, Set<string>>();
  for (const b of blocks.filter(x => x.header === 'required_providers')) {
    const dir = dirOf(b.file);
    for (const [provider, attr] of b.attrs) {
      if (!constrained.has(dir)) constrained.set(dir, new Set());
      constrained.get(dir)!.add(provider);
      const constraint = attr.block
        ? stringLiterals(attr.block.attrs.get('version')?.value ?? '')[0]
        : stringLiterals(attr.value)[0];
      if (constraint === undefined || !bounded(constraint)) {
        hits.push({
          file: b.file,
          line: attr.block?.attrs.get('version')?.line ?? attr.line,
          message: constraint
            ? `provider ${provider} is constrained to "${constraint}", which has no upper bound: the next major version arrives with the next init`
            : `provider ${provider} has no version constraint: every init may take a new major version`,
          fix: 'Constrain the provider with "~> MAJOR.MINOR" (or ">= x, < y") and commit .terraform.lock.hcl.',
        });
      }
    }
  }
  for (const b of blocks.filter(x => /^provider\s+"/.test(x.header))) {
    const provider = stringLiterals(b.header)[0];
    if (!constrained.get(dirOf(b.file))?.has(provider)) {
      hits.push({
        file: b.file,
        line: b.line,
        message: `provider ${provider} is configured without a required_providers entry next to it: every init may take a new major version`,
        fix: 'Add terraform { required_providers { ... } } with a "~> MAJOR.MINOR" constraint to the root module.',
      });
    }
  }
  for (const b of blocks.filter(x => /^module\s+"/.test(x.header))) {
    const source = stringLiterals(b.attrs.get('source')?.value ?? '')[0] ?? '';
    const name = stringLiterals(b.header)[0];
    if (/^\.\.?\//.test(source)) continue;
    if (/^(git::|github\.com\/|git@|bitbucket\.org\/)/.test(source)) {
      if (!/[?&]ref=[^&]+/.test(source)) {
        hits.push({
          file: b.file,
          line: b.attrs.get('source')!.line,
          message: `module "${name}" comes from ${source} without ?ref=: every init takes the default branch`,
          fix: 'Add ?ref=<tag or commit> to the source.',
        });
      }
      continue;
    }
    // A registry address: [host/]namespace/name/provider.
    if (/^([\w.-]+\/)?[\w-]+\/[\w-]+\/[\w-]+$/.test(source)) {
      const version = stringLiterals(b.attrs.get('version')?.value ?? '')[0];
      if (version === undefined || !bounded(version)) {
        hits.push({
          file: b.file,
          line: b.attrs.get('version')?.line ?? b.line,
          message: `module "${name}" (${source}) ${
            version
              ? `is constrained to "${version}", which has no upper bound`
              : 'has no version'
          }: every init may take a new major version`,
          fix: 'Set version to one release (or "~> MAJOR.MINOR").',
        });
      }
    }
  }
  return hits;
}

export const pinnedVersions: ValidationRule = {
  id: 'D04-versions-pinned',
  title:
    'Images, Helm charts, Terraform providers and modules name pinned versions',
  failures: ['D04', 'D07', 'D20'],
  severity: 'error',
  fix: 'Name one version: an image tag other than latest (or a digest), a chart version, a provider constraint with an upper bound ("~> 5.81"), a module version or ?ref=.',
  check(repo) {
    return [...imageHits(repo), ...terraformHits(repo)];
  },
};
