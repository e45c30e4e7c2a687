import {
  EntityMetricsResponse,
  GpuMetrics,
  roundMetricValue,
  withLatestGpuValues,
} from './metrics';

describe('roundMetricValue', () => {
  it('keeps six significant digits of fractional numbers only', () => {
    const text = JSON.stringify(
      {
        range: { start: 1_795_269_600, step: 300 },
        points: [
          [1_795_269_600, 1.936515980439264],
          [1_795_269_900, 0.000123456789],
          [1_795_270_200, 12345.678901],
          [1_795_270_500, null],
        ],
        model: 'meta-llama/Meta-Llama-3-8B-Instruct',
      },
      roundMetricValue,
    );
    expect(JSON.parse(text)).toEqual({
      range: { start: 1_795_269_600, step: 300 },
      points: [
        [1_795_269_600, 1.93652],
        [1_795_269_900, 0.000123457],
        [1_795_270_200, 12345.7],
        [1_795_270_500, null],
      ],
      model: 'meta-llama/Meta-Llama-3-8B-Instruct',
    });
  });
});

describe('withLatestGpuValues', () => {
  const series = (values: number[]) => ({
    points: values.map((v, i): [number, number] => [1_795_269_600 + 60 * i, v]),
    now: values[values.length - 1],
  });
  const gpu = (uuid: string, utilization: number[]): GpuMetrics => ({
    uuid,
    index: '0',
    node: 'ip-10-0-1-5',
    attribution: 'pod',
    utilization: series(utilization),
    memoryUsedMiB: series([100, 200]),
    memoryTotalMiB: series([23028, 23028]),
    powerWatts: series([60, 70]),
    temperatureCelsius: { points: [], now: null },
  });
  const answer = {
    instance: 'main',
    gpus: [gpu('GPU-a', [10, 90]), gpu('GPU-b', [5, 0])],
    gpuTotals: { count: 2, utilization: series([7.5, 45]) },
    notes: ['kept'],
  } as unknown as EntityMetricsResponse;

  it("keeps each GPU's value now and drops its points, and leaves the rest alone", () => {
    const before = JSON.stringify(answer);
    const latest = withLatestGpuValues(answer);
    expect(latest.gpus.map(g => [g.uuid, g.utilization])).toEqual([
      ['GPU-a', { points: [], now: 90 }],
      ['GPU-b', { points: [], now: 0 }],
    ]);
    expect(latest.gpus[0]).toMatchObject({
      node: 'ip-10-0-1-5',
      memoryUsedMiB: { points: [], now: 200 },
      memoryTotalMiB: { points: [], now: 23028 },
      powerWatts: { points: [], now: 70 },
      temperatureCelsius: { points: [], now: null },
    });
    expect(latest.gpuTotals).toBe(answer.gpuTotals);
    expect(latest.notes).toEqual(['kept']);
    // The cached answer it is made from is not changed.
    expect(JSON.stringify(answer)).toBe(before);
  });
});
