import { InputError } from '@backstage/errors';

// Every value that reaches a query goes through these functions, so no input
// can change a query's shape: values only ever appear inside a double-quoted
// PromQL string, and in regex matchers every metacharacter is escaped first.

/** Longest value accepted in a matcher; model names are far shorter. */
export const MAX_VALUE_LENGTH = 512;
/** Most values accepted in one alternation. */
export const MAX_ALTERNATIVES = 200;

/**
 * A PromQL double-quoted string literal holding exactly `value`. PromQL
 * strings take Go's escapes, a superset of JSON's, so JSON's escaping is exact.
 */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** Escapes RE2 metacharacters so the pattern matches `value` literally. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Rejects values no label can hold, naming what was wrong. */
export function assertMatcherValue(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(`${what} must be a non-empty string`);
  }
  if (value.length > MAX_VALUE_LENGTH) {
    throw new InputError(
      `${what} is ${value.length} characters long; at most ${MAX_VALUE_LENGTH} are accepted`,
    );
  }
  // A lone UTF-16 surrogate cannot be sent as UTF-8; PromQL would reject it.
  if (
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
      value,
    )
  ) {
    throw new InputError(
      `${what} is not valid Unicode (it contains a lone surrogate)`,
    );
  }
}

/**
 * A label matcher selecting any of `values` exactly: `label="v"` for one
 * value, `label=~"a|b"` with escaped alternatives for several.
 */
export function matchAny(
  label: string,
  values: string[],
  what: string,
): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) {
    // Label names come from code, never from input; this guards mistakes.
    throw new Error(`invalid label name ${label}`);
  }
  const unique = [...new Set(values)];
  if (unique.length === 0) {
    throw new InputError(`${what}: at least one value is required`);
  }
  if (unique.length > MAX_ALTERNATIVES) {
    throw new InputError(
      `${what}: ${unique.length} values given; at most ${MAX_ALTERNATIVES} are accepted`,
    );
  }
  unique.forEach(v => assertMatcherValue(what, v));
  if (unique.length === 1) {
    return `${label}=${promqlString(unique[0])}`;
  }
  return `${label}=~${promqlString(unique.sort().map(escapeRegex).join('|'))}`;
}

/** A selector body `{a="x",b=~"y|z"}` from matchers built above. */
export function selector(matchers: string[]): string {
  return `{${matchers.join(',')}}`;
}
