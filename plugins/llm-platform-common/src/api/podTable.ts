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

// Each row's pod, with the lists it was read with: a client that keeps
// unchanged rows and lists across refreshes gets the same pod objects back.
const decoded = new WeakMap<PodRow, { lists: PodTable; pod: PodSummary }>();

function fromRow(table: PodTable, row: PodRow): PodSummary {
  const known = decoded.get(row);
  if (
    known &&
    known.lists.namespaces === table.namespaces &&
    known.lists.templates === table.templates &&
    known.lists.phases === table.phases &&
    known.lists.nodes === table.nodes
  ) {
    return known.pod;
  }
  const [name, namespace, template, phase, ready, created, node, details] = row;
  let pod: PodSummary = {
    name,
    namespace: table.namespaces[namespace],
    template: table.templates[template],
    phase: table.phases[phase],
    readyContainers: ready,
  };
  if (created !== null) {
    pod.createdAt =
      typeof created === 'number'
        ? new Date(created * 1000).toISOString().replace('.000Z', 'Z')
        : created;
  }
  if (node >= 0) pod.node = table.nodes[node];
  if (details) pod = { ...pod, ...details };
  decoded.set(row, { lists: table, pod });
  return pod;
}

const tables = new WeakMap<PodTable, PodSummary[]>();

/**
 * A cluster's pods one object each, whether it sent them as a table or, as
 * earlier backends did, as objects. Memoised per table and per row: a row
 * that a refresh left unchanged (the same array, with the same lists) gives
 * the same pod object, so what is drawn from it need not be drawn again.
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
    pods = table.rows.map(row => fromRow(table, row));
    tables.set(table, pods);
  }
  return pods;
}
