// Kubernetes label selector syntax, parsed here rather than by a library: the
// maintained parsers live inside client-go (Go) and no small, kept JavaScript
// package implements the set-based forms (`in`, `notin`, `!key`) with the
// apiserver's key and value rules.

/**
 * One requirement of a Kubernetes label selector.
 *
 * @public
 */
export type LabelRequirement =
  | { key: string; operator: 'Equals' | 'NotEquals'; value: string }
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

/**
 * Thrown when a label selector, key, value or namespace is not valid
 * Kubernetes syntax. The message names the offending part and what is valid.
 *
 * @public
 */
export class InvalidSelectorError extends Error {
  readonly name = 'InvalidSelectorError';
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const VALUE_RULE =
  'at most 63 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

/**
 * Checks a label key (`[prefix/]name`) and throws InvalidSelectorError if it
 * is not one the Kubernetes API accepts.
 *
 * @public
 */
export function assertLabelKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    throw new InvalidSelectorError(
      `label key "${key}" has an invalid prefix "${prefix}": a prefix is a lowercase DNS subdomain of at most 253 characters`,
    );
  }
  if (name.length > 63 || !NAME.test(name)) {
    throw new InvalidSelectorError(
      `label key "${key}" is invalid: the name part must be ${VALUE_RULE}`,
    );
  }
}

/**
 * Checks a label value and throws InvalidSelectorError if the Kubernetes API
 * would reject it. The empty string is a valid value.
 *
 * @public
 */
export function assertLabelValue(value: string, what = 'label value'): void {
  if (value !== '' && (value.length > 63 || !NAME.test(value))) {
    throw new InvalidSelectorError(
      `${what} "${value}" is invalid: it must be empty or ${VALUE_RULE}`,
    );
  }
}

/**
 * Checks a namespace name (an RFC 1123 DNS label).
 *
 * @public
 */
export function assertNamespace(namespace: string): void {
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new InvalidSelectorError(
      `namespace "${namespace}" is invalid: it must be at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit`,
    );
  }
}

function splitTopLevel(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth < 0 || depth > 1) {
      throw new InvalidSelectorError(
        `label selector "${selector}" has unbalanced parentheses`,
      );
    }
    if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) {
    throw new InvalidSelectorError(
      `label selector "${selector}" has unbalanced parentheses`,
    );
  }
  terms.push(selector.slice(start));
  return terms.map(t => t.trim());
}

const SET_TERM = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/;
const EQUALITY_TERM = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/;

/**
 * Parses a Kubernetes label selector, for example
 * `app.kubernetes.io/name=vllm,tier in (gpu, serving),!canary`.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (!selector.trim()) {
    throw new InvalidSelectorError(
      'label selector is empty: give at least one requirement such as "app=vllm"',
    );
  }
  return splitTopLevel(selector).map(term => {
    if (!term) {
      throw new InvalidSelectorError(
        `label selector "${selector}" has an empty requirement between commas`,
      );
    }
    const set = SET_TERM.exec(term);
    if (set) {
      const [, key, op, list] = set;
      assertLabelKey(key);
      const values = list.split(',').map(v => v.trim());
      values.forEach(v => assertLabelValue(v, `value in "${term}"`));
      return { key, operator: op === 'in' ? 'In' : 'NotIn', values };
    }
    const eq = EQUALITY_TERM.exec(term);
    if (eq) {
      const [, key, op, value] = eq;
      assertLabelKey(key);
      assertLabelValue(value, `value in "${term}"`);
      return { key, operator: op === '!=' ? 'NotEquals' : 'Equals', value };
    }
    if (term.startsWith('!')) {
      const key = term.slice(1).trim();
      assertLabelKey(key);
      return { key, operator: 'DoesNotExist' };
    }
    if (/^\S+$/.test(term)) {
      assertLabelKey(term);
      return { key: term, operator: 'Exists' };
    }
    throw new InvalidSelectorError(
      `label selector requirement "${term}" is not valid: use "key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key"`,
    );
  });
}

/**
 * Writes requirements back in the canonical form the Kubernetes API accepts.
 *
 * @public
 */
export function formatLabelSelector(requirements: LabelRequirement[]): string {
  return requirements
    .map(r => {
      switch (r.operator) {
        case 'Equals':
          return `${r.key}=${r.value}`;
        case 'NotEquals':
          return `${r.key}!=${r.value}`;
        case 'In':
          return `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}
