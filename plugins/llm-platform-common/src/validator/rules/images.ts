import { containersOf, imageTag } from '../k8s';
import type { RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

const PLACEHOLDER =
  /\bACCOUNT_ID\b|<\s*(aws[_-]?)?account[_-]?id\s*>|\b(123456789012|000000000000|111111111111)\b/i;

export const noAccountPlaceholder: ValidationRule = {
  id: 'D19-no-account-placeholder',
  title: 'No placeholder AWS account id in images, ARNs or variables',
  failures: ['D19'],
  severity: 'error',
  fix: 'Render the real 12-digit account id from the template input (or a Terraform data source) into every image and ARN.',
  check(repo) {
    return repo
      .filesMatching(/\.(ya?ml|tf|tfvars|json)$/i)
      .filter(([path]) => !path.startsWith('.github/'))
      .flatMap(([file, content]) =>
        content.split('\n').flatMap((line, i): RuleHit[] => {
          if (/^\s*(#|\/\/)/.test(line)) return [];
          const m = PLACEHOLDER.exec(line);
          return m
            ? [
                {
                  file,
                  line: i + 1,
                  message: `placeholder account id "${m[0]}": images fail with InvalidImageName and IRSA roles do not resolve`,
                },
              ]
            : [];
        }),
      );
  },
};

/** Tag patterns CI pushes: literal tags, with `${{ }}`/`$VAR` parts as wildcards. */
function pushedTagPatterns(repo: RepoIndex): RegExp[] | undefined {
  const workflows = repo.filesMatching(/^\.github\/workflows\/.+\.ya?ml$/);
  const pushing = workflows.filter(([, c]) =>
    /docker\s+push|build-push-action|push:\s*true/.test(c),
  );
  if (!pushing.length) return undefined;
  const expr = String.raw`(?:\$\{\{[^}]*\}\}|\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*)`;
  const tag = new RegExp(String.raw`:((?:[\w.-]|${expr})+)(?=["'\s,]|$)`, 'g');
  const patterns: RegExp[] = [];
  for (const [, content] of pushing) {
    for (const line of content.split('\n')) {
      if (!/docker|tags?\s*:|IMAGE|image|ECR|ecr|\$\{\{/.test(line)) continue;
      for (const m of line.matchAll(tag)) {
        const source = m[1]
          .split(new RegExp(`(${expr})`))
          .map(part =>
            new RegExp(`^${expr}$`).test(part)
              ? '.+'
              : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('');
        if (source && source !== '.+') patterns.push(new RegExp(`^${source}$`));
        if (source === '.+') patterns.push(/^.+$/);
      }
    }
  }
  return patterns;
}

export const imageTagsPushed: ValidationRule = {
  id: 'D20-image-tags-pushed',
  title: 'Every image tag the manifests use is one CI pushes',
  failures: ['D20'],
  severity: 'error',
  fix: 'Use one tag scheme in both places: have CI push the tag the overlays set (or set the overlays to the tag CI pushes).',
  check(repo) {
    const patterns = pushedTagPatterns(repo);
    const used: { file: string; line: number; image: string; tag: string }[] =
      [];
    for (const k of repo.kustomizations) {
      (k.value.images ?? []).forEach((img: any, i: number) => {
        const name = String(img?.newName ?? img?.name ?? '');
        if (img?.newTag !== undefined && /\.dkr\.ecr\./.test(name)) {
          used.push({
            file: k.file,
            line: k.doc.lineOf(['images', i, 'newTag']),
            image: name,
            tag: String(img.newTag),
          });
        }
      });
    }
    for (const pod of repo.podTemplates()) {
      for (const { c, path } of containersOf(pod.spec)) {
        const image = String(c.image ?? '');
        const tag = imageTag(image);
        if (/\.dkr\.ecr\./.test(image) && tag) {
          used.push({
            file: pod.owner.file,
            line: pod.owner.doc.lineOf([...pod.path, ...path, 'image']),
            image,
            tag,
          });
        }
      }
    }
    if (!used.length) return [];
    if (!patterns) {
      return used.slice(0, 1).map(u => ({
        ...u,
        severity: 'warning' as const,
        message: `no workflow in .github/workflows pushes images, so nothing guarantees that tag "${u.tag}" of ${u.image} exists`,
      }));
    }
    return used
      .filter(u => !patterns.some(p => p.test(u.tag)))
      .map(u => ({
        file: u.file,
        line: u.line,
        message: `tag "${u.tag}" of ${u.image} is not a tag CI pushes; pods fail with ImagePullBackOff`,
      }));
  },
};
