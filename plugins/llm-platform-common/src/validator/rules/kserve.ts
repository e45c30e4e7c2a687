import type { RuleHit, ValidationRule } from '../types';

export const inferenceServiceRuntime: ValidationRule = {
  id: 'T-isvc-runtime',
  title:
    'InferenceServices name a serving runtime that exists and supports their model format',
  failures: ['T-isvc'],
  severity: 'error',
  fix: 'Define the ServingRuntime the predictor names (same namespace), with the model format in its supportedModelFormats, or name a ClusterServingRuntime the repository defines.',
  check(repo) {
    const runtimes = repo.objectsOfKind(
      'ServingRuntime',
      'ClusterServingRuntime',
    );
    return repo.objectsOfKind('InferenceService').flatMap((isvc): RuleHit[] => {
      const model = isvc.value.spec?.predictor?.model;
      if (!model) return [];
      const format = model.modelFormat?.name;
      const candidates = runtimes.filter(
        r =>
          (r.kind === 'ClusterServingRuntime' ||
            r.namespace === isvc.namespace) &&
          (!model.runtime || r.name === model.runtime),
      );
      const line = isvc.doc.lineOf(['spec', 'predictor', 'model']);
      if (model.runtime && !candidates.length) {
        return [
          {
            file: isvc.file,
            line,
            message: `InferenceService "${isvc.name}" names runtime "${model.runtime}", which the repository does not define: the predictor is never created and the InferenceService stays not Ready`,
          },
        ];
      }
      const supports = candidates.some(r =>
        (r.value.spec?.supportedModelFormats ?? []).some(
          (f: any) => f?.name === format,
        ),
      );
      if (!candidates.length || supports) return [];
      return [
        {
          file: isvc.file,
          line,
          message: `InferenceService "${
            isvc.name
          }" serves model format "${format}", which runtime ${candidates
            .map(r => `"${r.name}"`)
            .join(
              ', ',
            )} does not list in supportedModelFormats: KServe refuses it ("no runtime found to support predictor")`,
        },
      ];
    });
  },
};
