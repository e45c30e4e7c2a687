import { roundMetricValue } from './metrics';

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
