import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultScenario, writeOpenMetrics } from './generator';
import { findBinary, requirePrometheusBinaries } from './prometheusHarness';

describe('Prometheus test harness', () => {
  it('finds the prometheus and promtool binaries this suite needs', () => {
    // Fails, never skips, where the Debian package is missing.
    expect(requirePrometheusBinaries().prometheus).toMatch(/prometheus$/);
  });

  it('fails with the install command when a binary is missing', () => {
    expect(() => findBinary('prometheus', [os.tmpdir()])).toThrow(
      /apt-get install -y prometheus/,
    );
  });
});

describe('OpenMetrics generator', () => {
  it('is deterministic and ends with # EOF', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmp-gen-'));
    try {
      const scenario = defaultScenario(1_760_000_100, 1);
      const digest = (file: string) => {
        writeOpenMetrics(scenario, file);
        return crypto
          .createHash('sha256')
          .update(fs.readFileSync(file))
          .digest('hex');
      };
      expect(digest(path.join(dir, 'a.om'))).toBe(
        digest(path.join(dir, 'b.om')),
      );
      const text = fs.readFileSync(path.join(dir, 'a.om'), 'utf8');
      expect(text.endsWith('# EOF\n')).toBe(true);
      expect(text).toContain('vllm:e2e_request_latency_seconds_bucket{');
      expect(text).toContain('le="7680"');
      expect(text).toContain('model_name="evil\\"} or vector(1) # .*|\\\\\\n"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
