import {
  MAX_POD_EVENTS,
  PodEvent,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import type { RawEvent } from './raw';

/** When an event last occurred, from whichever field its writer set. */
export function eventLastSeen(e: RawEvent): string | undefined {
  return (
    e.series?.lastObservedTime ??
    e.lastTimestamp ??
    e.eventTime ??
    e.firstTimestamp ??
    e.metadata.creationTimestamp ??
    undefined
  );
}

/**
 * The warning events already listed for the request, grouped by the pod they
 * are about (`namespace/name`), most recent first and at most
 * {@link MAX_POD_EVENTS} per pod. No event is read per pod.
 */
export function eventsByPod(events: RawEvent[]): Map<string, PodEvent[]> {
  const sorted = events
    .filter(e => e.involvedObject?.kind === 'Pod' && e.involvedObject.name)
    .map(e => {
      const at = eventLastSeen(e);
      const time = at ? Date.parse(at) : NaN;
      return { e, at, time: Number.isNaN(time) ? -Infinity : time };
    })
    // Undated events go last.
    .sort((a, b) => b.time - a.time);
  const byPod = new Map<string, PodEvent[]>();
  for (const { e, at } of sorted) {
    const key = `${e.involvedObject!.namespace ?? e.metadata.namespace}/${
      e.involvedObject!.name
    }`;
    const list = byPod.get(key) ?? [];
    if (list.length >= MAX_POD_EVENTS) continue;
    const event: PodEvent = {
      type: e.type ?? 'Warning',
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.series?.count ?? e.count ?? 1,
    };
    if (at) event.lastSeen = at;
    list.push(event);
    byPod.set(key, list);
  }
  return byPod;
}
