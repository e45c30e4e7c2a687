import { memo, useId, useMemo } from 'react';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { LineChart, type AnimatedLineProps } from '@mui/x-charts/LineChart';
import type { MetricSeries } from '@llm-platform/backstage-plugin-llm-platform-common';
import { formatClock } from '../../utils/format';
import { seriesStats } from '../../utils/series';

/** Colours readable on Backstage's light and dark themes. */
const COLORS = ['#3d7edb', '#e8871e', '#d6456b', '#2ca58d'];
/** Each series also differs by dash, so colour is not the only signal. */
const DASHES = ['none', '7 4', '2 3', '10 3 2 3'];

/**
 * The chart's line, drawn as a plain path. The library's own line
 * interpolates from the previous path to the new one on every data change
 * (even with animations off), which for seven charts of 300 points was the
 * largest part of a refresh.
 */
const StaticLine = ({
  d,
  ownerState,
  skipAnimation: _skipAnimation,
  ...other
}: AnimatedLineProps) => (
  <path
    {...other}
    d={d}
    fill="none"
    strokeWidth={2}
    strokeLinejoin="round"
    stroke={
      ownerState.gradientId
        ? `url(#${ownerState.gradientId})`
        : ownerState.color
    }
    opacity={ownerState.isFaded ? 0.3 : 1}
  />
);
const CHART_SLOTS = { line: StaticLine };

export interface ChartSeries {
  id: string;
  label: string;
  series: MetricSeries;
}

export interface MetricChartProps {
  title: string;
  series: ChartSeries[];
  /** Formats a value with its unit, for axes, tooltips and the table. */
  format: (value: number | null) => string;
  /** Axis tick format; defaults to `format`. */
  tickFormat?: (value: number) => string;
  /** Whether the x axis spans more than a day, so labels carry the date. */
  multiDay: boolean;
  yMax?: number;
}

/**
 * A time-series chart whose text alternative is its own legend: a table of
 * each series' latest, minimum, mean and maximum value.
 */
export const MetricChart = memo(
  ({ title, series, format, tickFormat, multiDay, yMax }: MetricChartProps) => {
    const tableId = useId();
    const { times, columns } = useMemo(() => alignSeries(series), [series]);
    const hasPoints = times.length > 0;

    return (
      <Box
        component="figure"
        role="figure"
        aria-label={title}
        aria-describedby={tableId}
        sx={{ m: 0, minWidth: 0 }}
      >
        <Typography variant="subtitle2" component="figcaption">
          {title}
        </Typography>
        {hasPoints ? (
          <Box
            aria-hidden
            sx={{
              ...Object.fromEntries(
                series.map((s, i) => [
                  `& .MuiLineElement-series-${s.id}`,
                  { strokeDasharray: DASHES[i % DASHES.length] },
                ]),
              ),
            }}
          >
            <LineChart
              height={200}
              skipAnimation
              margin={{ top: 10, right: 16, bottom: 28, left: 80 }}
              xAxis={[
                {
                  data: times,
                  scaleType: 'time',
                  valueFormatter: (d: Date, context) =>
                    formatClock(
                      d.getTime() / 1000,
                      multiDay || context.location === 'tooltip',
                    ),
                },
              ]}
              yAxis={[
                {
                  min: 0,
                  max: yMax,
                  valueFormatter: (v: number) => (tickFormat ?? format)(v),
                },
              ]}
              series={series.map((s, i) => ({
                id: s.id,
                label: s.label,
                data: columns[i],
                color: COLORS[i % COLORS.length],
                showMark: false,
                connectNulls: false,
                valueFormatter: (v: number | null) => format(v),
              }))}
              slots={CHART_SLOTS}
              slotProps={{ legend: { hidden: true } }}
              grid={{ horizontal: true }}
            />
          </Box>
        ) : (
          <Typography variant="body2" color="text.secondary" sx={{ py: 2 }}>
            No data in this range.
          </Typography>
        )}
        {/* Scrolls sideways in a narrow column: focusable, so that it can be
            scrolled by keyboard. */}
        <Box
          sx={{ overflowX: 'auto' }}
          tabIndex={0}
          role="group"
          aria-label={`${title}: table of values, scrolls sideways`}
        >
          <Table
            size="small"
            id={tableId}
            aria-label={`${title}: values`}
            sx={{
              '& td, & th': {
                px: 0.75,
                py: 0.25,
                fontSize: '0.75rem',
                whiteSpace: 'nowrap',
              },
            }}
          >
            <TableHead>
              <TableRow>
                <TableCell>Series</TableCell>
                <TableCell align="right">Now</TableCell>
                <TableCell align="right">Min</TableCell>
                <TableCell align="right">Mean</TableCell>
                <TableCell align="right">Max</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {series.map((s, i) => {
                const stats = seriesStats(s.series);
                return (
                  <TableRow key={s.id}>
                    <TableCell component="th" scope="row">
                      <svg
                        width="22"
                        height="8"
                        aria-hidden
                        style={{ marginRight: 6 }}
                      >
                        <line
                          x1="0"
                          y1="4"
                          x2="22"
                          y2="4"
                          stroke={COLORS[i % COLORS.length]}
                          strokeWidth="2.5"
                          strokeDasharray={DASHES[i % DASHES.length]}
                        />
                      </svg>
                      {s.label}
                    </TableCell>
                    <TableCell align="right">{format(s.series.now)}</TableCell>
                    <TableCell align="right">
                      {format(stats?.min ?? null)}
                    </TableCell>
                    <TableCell align="right">
                      {format(stats?.mean ?? null)}
                    </TableCell>
                    <TableCell align="right">
                      {format(stats?.max ?? null)}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Box>
      </Box>
    );
  },
);

/** Puts all series on one time axis; a missing point becomes a gap (null). */
function alignSeries(series: ChartSeries[]) {
  const timeSet = new Set<number>();
  for (const s of series) {
    for (const [t] of s.series.points) timeSet.add(t);
  }
  const sorted = [...timeSet].sort((a, b) => a - b);
  const index = new Map(sorted.map((t, i) => [t, i]));
  const columns = series.map(s => {
    const column: (number | null)[] = new Array(sorted.length).fill(null);
    for (const [t, v] of s.series.points) column[index.get(t)!] = v;
    return column;
  });
  return { times: sorted.map(t => new Date(t * 1000)), columns };
}
