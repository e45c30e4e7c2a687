import { InvalidSelectorError } from '@llm-platform/backstage-plugin-llm-platform-common';
import { createLabelMatcher } from '../../kubernetes/labelMatcher';

/** Thrown for a selector the apiserver would answer with 400 Bad Request. */
export class BadSelectorError extends Error {}

export type ObjectMatcher = (object: any) => boolean;

/** Label selector semantics of the apiserver, including set-based forms. */
export function labelMatcher(selector: string | undefined): ObjectMatcher {
  let match: ReturnType<typeof createLabelMatcher>;
  try {
    match = createLabelMatcher(selector);
  } catch (error) {
    if (error instanceof InvalidSelectorError) {
      throw new BadSelectorError(
        `unable to parse requirement: ${error.message}`,
      );
    }
    throw error;
  }
  return object => match(object?.metadata?.labels);
}

function fieldValue(object: any, path: string): string {
  let current = object;
  for (const part of path.split('.')) {
    current = current?.[part];
  }
  if (current === undefined || current === null) {
    return '';
  }
  return String(current);
}

/**
 * Field selectors as the apiserver implements them: `=`, `==` and `!=` on a
 * fixed list of fields per resource; anything else is a 400.
 */
export function fieldMatcher(
  selector: string | undefined,
  supported: string[],
): ObjectMatcher {
  if (selector === undefined || selector.trim() === '') {
    return () => true;
  }
  const terms = selector.split(',').map(term => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(term);
    if (!m) {
      throw new BadSelectorError(
        `invalid field selector: "${term}": expected "field=value", "field==value" or "field!=value"`,
      );
    }
    const [, field, op, value] = m;
    if (!supported.includes(field)) {
      throw new BadSelectorError(`field label not supported: ${field}`);
    }
    return { field, negate: op === '!=', value };
  });
  return object =>
    terms.every(t => (fieldValue(object, t.field) === t.value) !== t.negate);
}
