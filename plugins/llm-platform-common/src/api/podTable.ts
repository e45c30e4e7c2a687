import type {
  ClusterWorkloads,
  PodRow,
  PodRowDetails,
  PodSummary,
  PodTable,
} from './workloads';

const DETAILS: ReadonlyArray<keyof PodRowDetails> = [
  'restarts',
  'reason',
  'message',
  'containers',
  'events',
];

function indexer() {
  const list: string[] = [];
  const positions = new Map<string, number>();
  return {
    list,
    of(value: string) {
      let i = positions.get(value);
      if (i === undefined) {
        i = list.length;
        list.push(value);
        positions.set(value, i);
      }
      return i;
    },
  };
}

/** Whole seconds, as Kubernetes writes them, as a number. */
function createdAtCell(createdAt: string | undefined): number | string | null {
  if (createdAt === undefined) return null;
  const ms = Date.parse(createdAt);
  return !Number.isNaN(ms) && ms % 1000 === 0 ? ms / 1000 : createdAt;
}

/**
 * The pods as a {@link PodTable}, in the same order.
 *
 * @public
 */
export function toPodTable(pods: readonly PodSummary[]): PodTable {
  const namespaces = indexer();
  const templates = indexer();
  const phases = indexer();
  const nodes = indexer();
  const rows = pods.map((pod): PodRow => {
    const row: PodRow = [
      pod.name,
      namespaces.of(pod.namespace),
      templates.of(pod.template),
      phases.of(pod.phase),
      pod.readyContainers,
      createdAtCell(pod.createdAt),
      pod.node === undefined ? -1 : nodes.of(pod.node),
    ];
    let details: PodRowDetails | undefined;
    for (const key of DETAILS) {
      if (pod[key] !== undefined) {
        details ??= {};
        (details as Record<string, unknown>)[key] = pod[key];
      }
    }
    if (details) row.push(details);
    return row;
  });
  return {
    namespaces: namespaces.list,
    templates: templates.list,
    phases: phases.list,
    nodes: nodes.list,
    rows,
  };
}

// Pods of a rollout share their creation seconds.
const timestamps = new Map<number, string>();
function timestamp(seconds: number): string {
  let text = timestamps.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    if (timestamps.size >= 10_000) timestamps.clear();
    timestamps.set(seconds, text);
  }
  return text;
}

function fromRow(table: PodTable, row: PodRow): PodSummary {
  const [name, namespace, template, phase, ready, created, node, details] = row;
  const pod: PodSummary = {
    name,
    namespace: table.namespaces[namespace],
    template: table.templates[template],
    phase: table.phases[phase],
    readyContainers: ready,
  };
  if (created !== null) {
    pod.createdAt = typeof created === 'number' ? timestamp(created) : created;
  }
  if (node >= 0) pod.node = table.nodes[node];
  return details ? { ...pod, ...details } : pod;
}

const tables = new WeakMap<PodTable, PodSummary[]>();
// The last table decoded with these lists (a client that keeps unchanged parts
// of an answer across refreshes keeps the lists and unchanged rows).
const lastWithLists = new WeakMap<
  string[],
  { table: PodTable; pods: PodSummary[] }
>();

function decode(table: PodTable): PodSummary[] {
  const last = lastWithLists.get(table.namespaces);
  const previous =
    last &&
    last.table.templates === table.templates &&
    last.table.phases === table.phases &&
    last.table.nodes === table.nodes
      ? last
      : undefined;
  const pods = table.rows.map((row, i) =>
    previous?.table.rows[i] === row ? previous.pods[i] : fromRow(table, row),
  );
  lastWithLists.set(table.namespaces, { table, pods });
  return pods;
}

/**
 * A cluster's pods one object each, whether it sent them as a table or, as
 * earlier backends did, as objects. Memoised per table and per row: a row
 * that a refresh left unchanged (the same array at the same place, with the
 * same lists) gives the same pod object, so what is drawn from it need not be
 * drawn again.
 *
 * @public
 */
export function podsOf(
  cluster: Pick<ClusterWorkloads, 'pods' | 'podTable'>,
): PodSummary[] {
  const table = cluster.podTable;
  if (!table) return cluster.pods ?? [];
  let pods = tables.get(table);
  if (!pods) {
    pods = decode(table);
    tables.set(table, pods);
  }
  return pods;
}
