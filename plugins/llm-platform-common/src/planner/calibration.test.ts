import { calibrationReport } from './calibration';

describe('memory model calibration against public vLLM figures', () => {
  const report = calibrationReport();

  it('covers every published figure', () => {
    expect(report.map(r => `${r.point}:${r.figure}`)).toEqual([
      'seed-mistral-7b-fp16-t4:kvCacheTokens',
      'llama-3-8b-h100-tp1:weightsGiB',
      'llama-3-8b-h100-tp1:activationGiB',
      'llama-3-8b-h100-tp1:nonTorchGiB',
      'llama-3-8b-h100-tp1:kvCacheGiB',
      'llama-3-8b-h100-tp2:weightsGiB',
      'llama-3-8b-h100-tp2:activationGiB',
      'llama-3-8b-h100-tp2:nonTorchGiB',
      'qwen2.5-14b-rtx4090-tp2:weightsGiB',
      'qwen2.5-14b-rtx4090-tp2:activationGiB',
      'qwen2.5-14b-rtx4090-tp2:nonTorchGiB',
      'qwen2.5-14b-rtx4090-tp2:kvCacheGiB',
    ]);
  });

  it('reproduces the seed KV-cache size within 5%, and under 2,048 tokens', () => {
    const seed = report.find(r => r.point === 'seed-mistral-7b-fp16-t4')!;
    expect(Math.abs(seed.error)).toBeLessThan(0.05);
    expect(seed.estimate).toBeLessThan(2048);
  });

  it('estimates weights within 2% and KV-cache memory within 5% on every public log', () => {
    for (const r of report.filter(x => x.figure === 'weightsGiB')) {
      expect(Math.abs(r.error)).toBeLessThan(0.02);
    }
    for (const r of report.filter(x => x.figure === 'kvCacheGiB')) {
      expect(Math.abs(r.error)).toBeLessThan(0.05);
    }
  });
});
