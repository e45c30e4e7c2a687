import {
  ChangeEvent,
  Fragment,
  memo,
  useCallback,
  useMemo,
  useState,
} from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardHeader from '@mui/material/CardHeader';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import type {
  ClusterWorkloads,
  DiagnosticFinding,
  ResolvedPod,
} from '@llm-platform/backstage-plugin-llm-platform-common';
import { StatusChip } from '../StatusChip';
import { PodDetails } from './PodDetails';
import { formatAge } from '../../utils/format';
import {
  PodQuery,
  SortKey,
  STATUS_FILTERS,
  StatusFilter,
  flattenPods,
  lastReason,
  podStatus,
  queryPods,
} from '../../utils/pods';

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'status', label: 'Status' },
  { key: 'name', label: 'Pod' },
  { key: 'ready', label: 'Ready' },
  { key: 'restarts', label: 'Restarts', numeric: true },
  { key: 'age', label: 'Age', numeric: true },
  { key: 'node', label: 'Node' },
  { key: 'gpus', label: 'GPUs', numeric: true },
  { key: 'owner', label: 'Owner' },
  { key: 'reason', label: 'Last reason' },
];

export const ROWS_PER_PAGE_OPTIONS = [25, 50, 100];

const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

const NO_FINDINGS: DiagnosticFinding[] = [];

/** Lets long node names wrap after their dots, not inside a label. */
const withBreaks = (name: string) =>
  name.split('.').map((part, i, parts) => (
    <Fragment key={i}>
      <span style={{ whiteSpace: 'nowrap' }}>
        {part}
        {i < parts.length - 1 ? '.' : ''}
      </span>
      <wbr />
    </Fragment>
  ));

interface PodRowProps {
  rowKey: string;
  cluster: string;
  pod: ResolvedPod;
  showCluster: boolean;
  open: boolean;
  findings: DiagnosticFinding[];
  onToggle: (key: string) => void;
}

// Memoised on the pod object: a refresh that leaves a pod unchanged passes the
// same object, so the row does not re-render.
const PodRow = memo(
  ({
    rowKey,
    cluster,
    pod,
    showCluster,
    open,
    findings,
    onToggle,
  }: PodRowProps) => {
    const status = podStatus(pod);
    const detailsId = `pod-details-${rowKey.replace(/[^a-zA-Z0-9-]/g, '-')}`;
    const columns = COLUMNS.length + 1 + (showCluster ? 1 : 0);
    return (
      <>
        <TableRow
          hover
          onClick={() => onToggle(rowKey)}
          sx={{
            cursor: 'pointer',
            '& > td, & > th': {
              whiteSpace: 'nowrap',
              borderBottom: open ? 0 : undefined,
            },
          }}
        >
          <TableCell padding="checkbox">
            <IconButton
              size="small"
              aria-label={`${open ? 'Hide' : 'Show'} details of ${pod.name}`}
              aria-expanded={open}
              aria-controls={detailsId}
              onClick={e => {
                e.stopPropagation();
                onToggle(rowKey);
              }}
            >
              <span aria-hidden>{open ? '▾' : '▸'}</span>
            </IconButton>
          </TableCell>
          <TableCell>
            <StatusChip status={status.status} label={status.label} />
          </TableCell>
          <TableCell
            component="th"
            scope="row"
            sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}
          >
            {pod.name}
          </TableCell>
          <TableCell>
            {pod.readyContainers}/{pod.totalContainers}
          </TableCell>
          <TableCell align="right">{pod.restarts}</TableCell>
          <TableCell align="right">{formatAge(pod.ageSeconds)}</TableCell>
          <TableCell sx={{ whiteSpace: 'normal !important' }}>
            {pod.node ? withBreaks(pod.node) : '–'}
          </TableCell>
          <TableCell align="right">{pod.requests.gpu ?? 0}</TableCell>
          <TableCell
            title={
              pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : undefined
            }
          >
            {pod.owner?.name ?? '–'}
          </TableCell>
          <TableCell>{lastReason(pod) ?? '–'}</TableCell>
          {showCluster && <TableCell>{cluster}</TableCell>}
        </TableRow>
        {open && (
          <TableRow>
            <TableCell
              colSpan={columns}
              id={detailsId}
              sx={{ bgcolor: 'action.hover' }}
            >
              <Collapse in appear={false}>
                {/* Stays in view when the table scrolls sideways. */}
                <Box
                  sx={{
                    position: 'sticky',
                    left: 8,
                    maxWidth: 'calc(100cqw - 32px)',
                  }}
                >
                  <PodDetails pod={pod} findings={findings} />
                </Box>
              </Collapse>
            </TableCell>
          </TableRow>
        )}
      </>
    );
  },
);

/**
 * The entity's pods: sortable, filterable and paginated, so a fleet of
 * thousands keeps a bounded number of rows in the page. Sort, filter, page
 * and open rows live here and survive refreshes.
 */
export const PodTable = memo(
  ({
    clusters,
    generatedAt,
  }: {
    clusters?: ClusterWorkloads[];
    /** When the answer was read: pod ages are as of then. */
    generatedAt?: string;
  }) => {
    const [query, setQuery] = useState<PodQuery>({
      text: '',
      status: 'all',
      sortKey: 'status',
      sortDirection: 'asc',
    });
    const [page, setPage] = useState(0);
    const [rowsPerPage, setRowsPerPage] = useState(ROWS_PER_PAGE_OPTIONS[0]);
    const [openRows, setOpenRows] = useState<ReadonlySet<string>>(new Set());

    const rows = useMemo(
      () => (clusters && generatedAt ? flattenPods(clusters, generatedAt) : []),
      [clusters, generatedAt],
    );
    const visible = useMemo(() => queryPods(rows, query), [rows, query]);
    const findingsByPod = useMemo(() => {
      const map = new Map<string, DiagnosticFinding[]>();
      for (const c of clusters ?? []) {
        for (const f of c.diagnostics) {
          for (const o of f.objects) {
            if (o.kind !== 'Pod') continue;
            const key = `${c.cluster}/${o.namespace}/${o.name}`;
            map.set(key, [...(map.get(key) ?? []), f]);
          }
        }
      }
      return map;
    }, [clusters]);

    const onToggle = useCallback((key: string) => {
      setOpenRows(prev => {
        const next = new Set(prev);
        if (!next.delete(key)) next.add(key);
        return next;
      });
    }, []);

    const sortBy = (key: SortKey) =>
      setQuery(q => ({
        ...q,
        sortKey: key,
        sortDirection:
          q.sortKey === key && q.sortDirection === 'asc' ? 'desc' : 'asc',
      }));

    const showCluster = (clusters?.length ?? 0) > 1;
    const lastPage = Math.max(0, Math.ceil(visible.length / rowsPerPage) - 1);
    const currentPage = Math.min(page, lastPage);
    const pageRows = visible.slice(
      currentPage * rowsPerPage,
      currentPage * rowsPerPage + rowsPerPage,
    );

    return (
      <Card component="section" aria-label="Pods">
        <CardHeader
          title="Pods"
          titleTypographyProps={{ variant: 'h6', component: 'h2' }}
          subheader={
            clusters
              ? `${visible.length} of ${rows.length} pods${
                  query.text || query.status !== 'all'
                    ? ' match the filter'
                    : ''
                }`
              : undefined
          }
          action={
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
              <TextField
                size="small"
                label="Filter pods"
                placeholder="name, node, owner, reason"
                value={query.text}
                onChange={(e: ChangeEvent<HTMLInputElement>) => {
                  setQuery(q => ({ ...q, text: e.target.value }));
                  setPage(0);
                }}
              />
              <TextField
                select
                size="small"
                label="Status"
                value={query.status}
                onChange={e => {
                  setQuery(q => ({
                    ...q,
                    status: e.target.value as StatusFilter,
                  }));
                  setPage(0);
                }}
                sx={{ minWidth: 140 }}
              >
                {Object.entries(STATUS_FILTERS).map(([value, label]) => (
                  <MenuItem key={value} value={value}>
                    {label}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
          }
        />
        <TableContainer sx={{ containerType: 'inline-size' }}>
          <Table
            size="small"
            aria-label="Pods"
            aria-busy={!clusters}
            sx={{
              '& thead th': { whiteSpace: 'nowrap' },
              '& th, & td': { px: 1 },
            }}
          >
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  <Box component="span" sx={visuallyHidden}>
                    Details
                  </Box>
                </TableCell>
                {COLUMNS.map(c => (
                  <TableCell
                    key={c.key}
                    align={c.numeric ? 'right' : 'left'}
                    sortDirection={
                      query.sortKey === c.key ? query.sortDirection : false
                    }
                  >
                    <TableSortLabel
                      active={query.sortKey === c.key}
                      direction={
                        query.sortKey === c.key ? query.sortDirection : 'asc'
                      }
                      onClick={() => sortBy(c.key)}
                    >
                      {c.label}
                    </TableSortLabel>
                  </TableCell>
                ))}
                {showCluster && (
                  <TableCell
                    sortDirection={
                      query.sortKey === 'cluster' ? query.sortDirection : false
                    }
                  >
                    <TableSortLabel
                      active={query.sortKey === 'cluster'}
                      direction={
                        query.sortKey === 'cluster'
                          ? query.sortDirection
                          : 'asc'
                      }
                      onClick={() => sortBy('cluster')}
                    >
                      Cluster
                    </TableSortLabel>
                  </TableCell>
                )}
              </TableRow>
            </TableHead>
            <TableBody>
              {!clusters &&
                [0, 1, 2, 3, 4].map(i => (
                  <TableRow key={i}>
                    <TableCell colSpan={COLUMNS.length + 1}>
                      <Skeleton variant="text" />
                    </TableCell>
                  </TableRow>
                ))}
              {clusters && pageRows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={COLUMNS.length + 2}>
                    {rows.length
                      ? 'No pod matches the filter.'
                      : 'No pods found.'}
                  </TableCell>
                </TableRow>
              )}
              {pageRows.map(row => (
                <PodRow
                  key={row.key}
                  rowKey={row.key}
                  cluster={row.cluster}
                  pod={row.pod}
                  showCluster={showCluster}
                  open={openRows.has(row.key)}
                  findings={findingsByPod.get(row.key) ?? NO_FINDINGS}
                  onToggle={onToggle}
                />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {clusters && (
          <TablePagination
            component="div"
            count={visible.length}
            page={currentPage}
            onPageChange={(_e, p) => setPage(p)}
            rowsPerPage={rowsPerPage}
            rowsPerPageOptions={ROWS_PER_PAGE_OPTIONS}
            onRowsPerPageChange={e => {
              setRowsPerPage(Number(e.target.value));
              setPage(0);
            }}
          />
        )}
      </Card>
    );
  },
);
