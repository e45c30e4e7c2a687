import {
  LabelRequirement,
  parseLabelSelector,
} from '@llm-platform/backstage-plugin-llm-platform-common';

function matches(labels: Record<string, string>, r: LabelRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'Equals':
      return has && value === r.value;
    case 'NotEquals':
      return !has || value !== r.value;
    case 'In':
      return has && r.values.includes(value);
    case 'NotIn':
      return !has || !r.values.includes(value);
    case 'Exists':
      return has;
    default:
      return !has;
  }
}

/**
 * A predicate with the apiserver's label selector semantics, for filtering
 * objects already in memory. Throws InvalidSelectorError on bad syntax.
 */
export function createLabelMatcher(
  selector: string | undefined,
): (labels: Record<string, string> | undefined) => boolean {
  if (selector === undefined || selector.trim() === '') {
    return () => true;
  }
  const requirements = parseLabelSelector(selector);
  return labels => requirements.every(r => matches(labels ?? {}, r));
}
