import { LineCounter, isMap, isScalar, parseDocument, type Pair } from 'yaml';
import type { RuleHit, ValidationRule } from '../types';
import type { RepoIndex } from '../repo';

/** Fields Loki 3.0 removed; a config that still has them does not start. */
const LOKI_REMOVED = [
  'enforce_metric_name',
  'max_transfer_retries',
  'shared_store',
  'max_look_back_period',
];

export const lokiRemovedFields: ValidationRule = {
  id: 'D04-loki-removed-fields',
  title: 'Loki configuration has no field Loki 3 removed',
  failures: ['D04'],
  severity: 'error',
  fix: 'Delete the field: Loki 3 rejects the whole config when it is present.',
  check(repo) {
    const pattern = new RegExp(`^\\s*(${LOKI_REMOVED.join('|')})\\s*:`);
    return repo
      .filesMatching(/\.(ya?ml|cfg|conf)$/i)
      .filter(
        ([path, content]) =>
          /loki/i.test(path) || /limits_config|schema_config/.test(content),
      )
      .flatMap(([file, content]) =>
        content.split('\n').flatMap((line, i): RuleHit[] => {
          const m = pattern.exec(line);
          return m
            ? [
                {
                  file,
                  line: i + 1,
                  message: `Loki 3 removed "${m[1]}"; Loki fails with "field ${m[1]} not found" and crash-loops`,
                },
              ]
            : [];
        }),
      );
  },
};

/** Keys the OpenTelemetry Collector contrib Loki exporter accepts. */
const LOKI_EXPORTER_KEYS = new Set([
  'endpoint',
  'tls',
  'headers',
  'timeout',
  'read_buffer_size',
  'write_buffer_size',
  'auth',
  'compression',
  'proxy_url',
  'max_idle_conns',
  'max_idle_conns_per_host',
  'max_conns_per_host',
  'idle_conn_timeout',
  'disable_keep_alives',
  'http2_read_idle_timeout',
  'http2_ping_timeout',
  'cookies',
  'sending_queue',
  'retry_on_failure',
  'default_labels_enabled',
]);

/** OTel collector configs: whole files, or strings inside ConfigMaps. */
function collectorConfigs(repo: RepoIndex) {
  const out: { file: string; text: string; lineOffset: number }[] = [];
  for (const [file, content] of repo.filesMatching(/\.ya?ml$/i)) {
    if (
      /^\s*exporters\s*:/m.test(content) &&
      /^\s*receivers\s*:/m.test(content)
    ) {
      const isConfigMap = repo.objects.some(
        o => o.file === file && o.kind === 'ConfigMap',
      );
      if (!isConfigMap) out.push({ file, text: content, lineOffset: 0 });
    }
  }
  for (const cm of repo.objectsOfKind('ConfigMap')) {
    for (const [key, value] of Object.entries(cm.value.data ?? {})) {
      if (
        typeof value === 'string' &&
        /exporters\s*:/.test(value) &&
        /receivers\s*:/.test(value)
      ) {
        out.push({
          file: cm.file,
          text: value,
          lineOffset: cm.doc.lineOf(['data', key]),
        });
      }
    }
  }
  return out;
}

export const otelLokiExporter: ValidationRule = {
  id: 'D07-otel-loki-exporter-keys',
  title: 'The OpenTelemetry Collector Loki exporter uses only valid keys',
  failures: ['D07'],
  severity: 'error',
  fix: "Remove the invalid key; for resource attributes as labels use default_labels_enabled, or export with otlphttp to Loki's OTLP endpoint.",
  check(repo) {
    return collectorConfigs(repo).flatMap(({ file, text, lineOffset }) => {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter });
      const exporters = doc.get('exporters', true);
      if (!isMap(exporters)) return [];
      return exporters.items.flatMap((pair: Pair<any, any>) => {
        const name = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!/^loki(\/|$)/.test(name) || !isMap(pair.value)) return [];
        return pair.value.items.flatMap((item: Pair<any, any>): RuleHit[] => {
          const key = isScalar(item.key) ? String(item.key.value) : '';
          if (LOKI_EXPORTER_KEYS.has(key)) return [];
          const pos =
            isScalar(item.key) && item.key.range ? item.key.range[0] : 0;
          return [
            {
              file,
              line: lineOffset + lineCounter.linePos(pos).line,
              message: `exporter "${name}" has invalid key "${key}"; the collector fails with "'${name}' exporter has invalid keys: ${key}" and crash-loops`,
            },
          ];
        });
      });
    });
  },
};
