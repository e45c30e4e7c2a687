import type { RepoIndex } from '../repo';
import type { RuleHit, ValidationRule } from '../types';

function dockerfiles(repo: RepoIndex) {
  return repo.filesMatching(
    /(^|\/)(Dockerfile|[^/]+\.Dockerfile|Dockerfile\.[^/]+)$/,
  );
}

export const noCopyFromParent: ValidationRule = {
  id: 'D21-no-copy-outside-context',
  title: 'Dockerfiles copy nothing from outside the build context',
  failures: ['D21'],
  severity: 'error',
  fix: 'Build from the parent directory (for example `docker build -f gateway/Dockerfile services/`) and COPY shared/ from there.',
  check(repo) {
    return dockerfiles(repo).flatMap(([file, content]) =>
      content.split('\n').flatMap((line, i): RuleHit[] => {
        const m = /^\s*(COPY|ADD)\s+(.*)$/i.exec(line);
        if (!m) return [];
        const args = m[2].split(/\s+/).filter(a => a && !a.startsWith('--'));
        const sources = args.slice(0, -1);
        const bad = sources.find(s => s === '..' || s.startsWith('../'));
        return bad
          ? [
              {
                file,
                line: i + 1,
                message: `${m[1].toUpperCase()} ${bad} reaches outside the build context; docker build fails`,
              },
            ]
          : [];
      }),
    );
  },
};

export const pythonPath: ValidationRule = {
  id: 'D22-pythonpath-set',
  title: 'Python images that copy a shared package set PYTHONPATH',
  failures: ['D22'],
  severity: 'error',
  fix: 'Add `ENV PYTHONPATH=/app` (the directory that holds shared/) to the Dockerfile.',
  check(repo) {
    return dockerfiles(repo).flatMap(([file, content]): RuleHit[] => {
      const isPython =
        /^\s*FROM\s+\S*python/im.test(content) || /pip\s+install/.test(content);
      const copiesShared = /^\s*COPY\s+(?:--\S+\s+)*\S*shared\/?\s/im.test(
        content,
      );
      if (
        !isPython ||
        !copiesShared ||
        /^\s*ENV\s+PYTHONPATH[=\s]/im.test(content)
      )
        return [];
      const workdir = repo.lineOfText(file, /^\s*WORKDIR\s/i);
      return [
        {
          file,
          line: workdir,
          message:
            'the image copies the shared package but never sets PYTHONPATH; `from shared...` fails with ModuleNotFoundError when WORKDIR is the service directory',
        },
      ];
    });
  },
};

export const pythonDependencies: ValidationRule = {
  id: 'D23-python-imports-resolve',
  title: 'Python imports exist and their packages are in requirements',
  failures: ['D23'],
  severity: 'error',
  fix: 'Import TraceContextTextMapPropagator from opentelemetry.trace.propagation.tracecontext (or rely on the SDK default), and list httpx in the requirements the service installs.',
  check(repo) {
    const hits: RuleHit[] = [];
    const requirements = repo.filesMatching(/requirements[^/]*\.txt$/);
    for (const [file, content] of repo.filesMatching(/\.py$/)) {
      const lines = content.split('\n');
      lines.forEach((line, i) => {
        if (
          /from\s+opentelemetry\.trace\.propagation\s+import\s+.*TraceContextTextMapPropagator/.test(
            line,
          )
        ) {
          hits.push({
            file,
            line: i + 1,
            message:
              'opentelemetry.trace.propagation does not export TraceContextTextMapPropagator; the service fails with ImportError',
          });
        }
        if (
          /^\s*(import\s+httpx|from\s+httpx\s|from\s+opentelemetry\.instrumentation\.httpx\s)/.test(
            line,
          )
        ) {
          const dir = file.split('/').slice(0, -1);
          const candidates = requirements.filter(([req]) => {
            const reqDir = req.split('/').slice(0, -1).join('/');
            return (
              dir.join('/').startsWith(reqDir) || /(^|\/)shared\//.test(req)
            );
          });
          const listed = candidates.some(([, text]) =>
            /^\s*httpx\b/m.test(text),
          );
          if (requirements.length && !listed) {
            hits.push({
              file,
              line: i + 1,
              message:
                'the code needs httpx but no requirements file that reaches this service lists it; the service fails with ModuleNotFoundError',
            });
          }
        }
      });
    }
    return hits;
  },
};
