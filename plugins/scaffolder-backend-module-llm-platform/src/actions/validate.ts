import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  VALIDATION_RULES,
  collectRepositoryFiles,
  directoryReader,
  validateRepository,
  type Finding,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { examples } from './validate.examples';

const nodeReader = directoryReader(fs, path);

function describeFinding(f: Finding) {
  return `${f.file}:${f.line} ${f.severity} [${f.ruleId}] (${f.failures.join(
    ', ',
  )}) ${f.message}. Fix: ${f.fix}`;
}

/**
 * `llm-platform:validate`: runs the preflight rule catalogue over the rendered
 * workspace (or any repository of the platform's shape) and fails the step
 * when findings reach `failOn`.
 *
 * @public
 */
export function createValidateAction() {
  return createTemplateAction({
    id: 'llm-platform:validate',
    description:
      'Runs the LLM Platform preflight rules over the workspace: each finding names the rule, severity, file and line, the seed failure it prevents and the fix. Fails the step on errors unless failOn says otherwise.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .default('.')
            .describe(
              'Directory inside the workspace to check; default the whole workspace',
            ),
        failOn: z =>
          z
            .enum(['error', 'warning', 'never'])
            .default('error')
            .describe(
              'Fail the step on errors (default), on any finding, or never',
            ),
        disable: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              `Rule ids to skip: ${VALIDATION_RULES.map(r => r.id).join(', ')}`,
            ),
      },
      output: {
        findings: z =>
          z
            .array(
              z.object({
                ruleId: z.string(),
                severity: z.enum(['error', 'warning']),
                file: z.string(),
                line: z.number(),
                failures: z.array(z.string()),
                message: z.string(),
                fix: z.string(),
              }),
            )
            .describe('Every finding, sorted by file and line'),
        errorCount: z => z.number().describe('Findings of severity error'),
        warningCount: z => z.number().describe('Findings of severity warning'),
      },
    },
    async handler(ctx) {
      const failOn = ctx.input.failOn ?? 'error';
      if (!['error', 'warning', 'never'].includes(failOn)) {
        throw new InputError(
          `failOn must be error, warning or never, got "${failOn}"`,
        );
      }
      let root: string;
      try {
        root = resolveSafeChildPath(ctx.workspacePath, ctx.input.path ?? '.');
      } catch {
        throw new InputError(
          `path "${ctx.input.path}" must stay inside the workspace`,
        );
      }
      if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
        throw new InputError(
          `path "${ctx.input.path}" is not a directory of the workspace`,
        );
      }
      let report;
      try {
        report = validateRepository(collectRepositoryFiles(root, nodeReader), {
          disable: ctx.input.disable,
        });
      } catch (error) {
        throw new InputError((error as Error).message);
      }
      for (const f of report.findings) {
        if (f.severity === 'error') ctx.logger.error(describeFinding(f));
        else ctx.logger.warn(describeFinding(f));
      }
      ctx.logger.info(
        `Preflight: ${report.errorCount} error(s), ${report.warningCount} warning(s) in ${report.filesChecked} files`,
      );
      ctx.output('findings', report.findings);
      ctx.output('errorCount', report.errorCount);
      ctx.output('warningCount', report.warningCount);
      const failing =
        (failOn === 'error' && report.errorCount > 0) ||
        (failOn === 'warning' && report.findings.length > 0);
      if (failing) {
        const shown = report.findings
          .filter(f => failOn === 'warning' || f.severity === 'error')
          .slice(0, 20)
          .map(f => `- ${describeFinding(f)}`);
        throw new InputError(
          `Preflight validation failed with ${report.errorCount} error(s) and ${
            report.warningCount
          } warning(s):\n${shown.join('\n')}`,
        );
      }
    },
  });
}
