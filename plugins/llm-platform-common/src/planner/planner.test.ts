import { INSTANCE_CATALOG, MODEL_CATALOG } from './catalog';
import { formatPlanRefusal, planGpuFit } from './planner';
import { PlanInputError, type PlanResult } from './types';

function refused(result: PlanResult) {
  if (result.fits) throw new Error('expected a refusal');
  return result;
}
function accepted(result: PlanResult) {
  if (!result.fits) throw new Error(`expected a plan: ${result.reason}`);
  return result.plan;
}

describe('planGpuFit', () => {
  describe('the deployment-fixes record (D16)', () => {
    it('refuses Mistral-7B fp16 on a T4 at 2048 tokens: under 2,048 tokens of KV cache', () => {
      const result = refused(
        planGpuFit({
          model: 'mistral-7b-instruct-v0.2',
          instanceType: 'g4dn.xlarge',
          quantization: 'none',
          maxModelLen: 2048,
          gpuMemoryUtilization: 0.95,
        }),
      );
      expect(result.memory!.kvCacheTokens).toBeLessThan(2048);
      expect(result.memory!.kvCacheTokens).toBeGreaterThan(1500);
      expect(result.reason).toMatch(/short by [\d,]+ tokens/);
      expect(result.reason).toContain('max seq len (2048)');
      expect(result.shortfallGiB).toBeGreaterThan(0);
    });

    it('refuses it at vLLM defaults with "No available memory for the cache blocks"', () => {
      const result = refused(
        planGpuFit({
          model: 'mistral-7b-instruct-v0.2',
          instanceType: 'g4dn.xlarge',
          quantization: 'none',
          maxModelLen: 32768,
        }),
      );
      expect(result.reason).toContain(
        'No available memory for the cache blocks',
      );
      expect(result.reason).toMatch(/exceed the 13\.28 GiB vLLM may use/);
    });

    it('accepts the AWQ build at 4096 tokens and 0.90, with dtype half', () => {
      const plan = accepted(
        planGpuFit({
          model: 'mistral-7b-instruct-v0.2-awq',
          instanceType: 'g4dn.xlarge',
          maxModelLen: 4096,
          gpuMemoryUtilization: 0.9,
        }),
      );
      expect(plan).toMatchObject({
        quantization: 'awq',
        dtype: 'half',
        tensorParallelSize: 1,
        maxModelLen: 4096,
        gpuMemoryUtilization: 0.9,
        instanceType: 'g4dn.xlarge',
        gpu: 't4',
        gpuCount: 1,
      });
      expect(plan.kvCacheTokens).toBeGreaterThan(4096 * 10);
      expect(plan.maxConcurrentFullSequences).toBe(
        Math.floor(plan.kvCacheTokens / 4096),
      );
      expect(plan.vllmArgs).toEqual([
        '--model',
        'TheBloke/Mistral-7B-Instruct-v0.2-AWQ',
        '--dtype',
        'half',
        '--quantization',
        'awq',
        '--max-model-len',
        '4096',
        '--gpu-memory-utilization',
        '0.90',
        '--port',
        '8000',
      ]);
    });

    it('keeps the vLLM container inside the g4dn.xlarge allocatable (D11)', () => {
      const plan = accepted(
        planGpuFit({
          model: 'mistral-7b-instruct-v0.2-awq',
          instanceType: 'g4dn.xlarge',
          maxModelLen: 4096,
        }),
      );
      // The seed asked for 4 CPU / 16Gi on a node that allocates about 3.9 / 15.
      expect(plan.nodeAllocatable.cpuMillis).toBe(3920);
      expect(plan.nodeAllocatable.memoryMiB).toBeGreaterThan(14 * 1024);
      expect(plan.nodeAllocatable.memoryMiB).toBeLessThan(15.5 * 1024);
      expect(plan.resources).toEqual({
        requests: { cpu: '3', memory: '14080Mi', 'nvidia.com/gpu': '1' },
        limits: { cpu: '3600m', memory: '14080Mi', 'nvidia.com/gpu': '1' },
      });
    });
  });

  it('with auto, picks the AWQ build on a T4 where fp16 does not fit and FP8 is unsupported', () => {
    const plan = accepted(
      planGpuFit({
        model: 'mistral-7b-instruct-v0.2',
        gpu: 't4',
        quantization: 'auto',
        maxModelLen: 4096,
      }),
    );
    expect(plan.quantization).toBe('awq');
    expect(plan.model.hfId).toBe('TheBloke/Mistral-7B-Instruct-v0.2-AWQ');
    expect(plan.instanceType).toBe('g4dn.xlarge');
  });

  it('with auto, keeps full precision when it fits, in bf16 on Ampere and newer', () => {
    const plan = accepted(
      planGpuFit({
        model: 'llama-3.1-8b-instruct',
        instanceType: 'g6e.xlarge',
        maxModelLen: 8192,
      }),
    );
    expect(plan.quantization).toBe('none');
    expect(plan.dtype).toBe('bfloat16');
    expect(plan.vllmArgs).not.toContain('--quantization');
  });

  it('with auto, prefers FP8 to 4-bit on an L4', () => {
    const plan = accepted(
      planGpuFit({
        model: 'llama-3.1-8b-instruct',
        instanceType: 'g6.xlarge',
        maxModelLen: 65536,
      }),
    );
    expect(plan.quantization).toBe('fp8');
    expect(plan.vllmArgs).toEqual(
      expect.arrayContaining(['--quantization', 'fp8']),
    );
  });

  it('refuses FP8 on a GPU without FP8 support and suggests what fits', () => {
    const result = refused(
      planGpuFit({
        model: 'llama-3.1-8b-instruct',
        instanceType: 'g5.xlarge',
        quantization: 'fp8',
        maxModelLen: 8192,
      }),
    );
    expect(result.reason).toMatch(/FP8 needs compute capability 8\.9/);
    expect(result.suggestions.map(s => s.kind)).toContain('quantize');
  });

  it('refuses Llama-3.1-70B on one GPU and proposes every kind of fix that exists', () => {
    const result = refused(
      planGpuFit({
        model: 'llama-3.1-70b-instruct',
        instanceType: 'p4de.24xlarge',
        quantization: 'none',
        maxModelLen: 8192,
      }),
    );
    expect(result.reason).toContain('No available memory for the cache blocks');
    const kinds = result.suggestions.map(s => s.kind);
    // No single GPU holds 131 GiB of fp16 weights, so no larger-gpu suggestion.
    expect(kinds).toEqual(['quantize', 'tensor-parallel']);
    const tp = result.suggestions.find(s => s.kind === 'tensor-parallel')!;
    expect(tp.change).toEqual({
      instanceType: 'p4de.24xlarge',
      tensorParallelSize: 2,
    });
    // Every suggestion, applied, really fits.
    for (const s of result.suggestions) {
      const again = planGpuFit({
        model: 'llama-3.1-70b-instruct',
        instanceType: 'p4de.24xlarge',
        quantization: 'none',
        maxModelLen: 8192,
        ...s.change,
      });
      expect(again.fits).toBe(true);
    }
  });

  it('suggests a shorter context that fits when only the context is too long', () => {
    const result = refused(
      planGpuFit({
        model: 'llama-3.1-8b-instruct',
        instanceType: 'g5.xlarge',
        quantization: 'none',
        maxModelLen: 131072,
      }),
    );
    const shorter = result.suggestions.find(s => s.kind === 'shorter-context')!;
    expect(shorter.change.maxModelLen).toBeLessThan(131072);
    expect(shorter.change.maxModelLen! % 1024).toBe(0);
    expect(
      planGpuFit({
        model: 'llama-3.1-8b-instruct',
        instanceType: 'g5.xlarge',
        quantization: 'none',
        maxModelLen: shorter.change.maxModelLen!,
      }).fits,
    ).toBe(true);
  });

  it('splits the KV cache across tensor-parallel ranks and sizes /dev/shm for it', () => {
    const plan = accepted(
      planGpuFit({
        model: 'llama-3.1-70b-instruct',
        instanceType: 'p5.48xlarge',
        quantization: 'none',
        tensorParallelSize: 4,
        maxModelLen: 32768,
      }),
    );
    expect(plan.memory.kvBytesPerToken).toBe(2 * 80 * 2 * 128 * 2);
    expect(plan.resources.requests['nvidia.com/gpu']).toBe('4');
    expect(plan.vllmArgs).toEqual(
      expect.arrayContaining(['--tensor-parallel-size', '4']),
    );
    expect(plan.shmSize).toBe('8Gi');
    expect(plan.modelCacheSize).toBe('170Gi');
  });

  it('refuses a tensor-parallel size the instance cannot hold, suggesting one that can', () => {
    const result = refused(
      planGpuFit({
        model: 'mixtral-8x7b-instruct-v0.1',
        instanceType: 'g6e.xlarge',
        tensorParallelSize: 2,
        maxModelLen: 8192,
      }),
    );
    expect(result.reason).toMatch(/needs 2 GPUs; g6e.xlarge has 1/);
    expect(result.suggestions.some(s => s.kind === 'tensor-parallel')).toBe(
      true,
    );
  });

  it('plans a model given by its numbers', () => {
    const plan = accepted(
      planGpuFit({
        model: {
          hfId: 'example/tiny-llama',
          numLayers: 22,
          hiddenSize: 2048,
          intermediateSize: 5632,
          numAttentionHeads: 32,
          numKeyValueHeads: 4,
          paramsBillion: 1.1,
          vocabSize: 32000,
        },
        instanceType: 'g4dn.xlarge',
        quantization: 'none',
        maxModelLen: 2048,
        maxNumSeqs: 64,
      }),
    );
    expect(plan.memory.kvBytesPerToken).toBe(2 * 22 * 4 * 64 * 2);
    expect(plan.dtype).toBe('half');
    expect(plan.maxNumSeqs).toBe(64);
    expect(plan.vllmArgs).toEqual(
      expect.arrayContaining(['--max-num-seqs', '64']),
    );
  });

  it('plans every catalog model on the largest instance with the widest tensor parallelism its heads allow', () => {
    for (const model of MODEL_CATALOG) {
      const result = planGpuFit({
        model: model.id!,
        instanceType: 'p5e.48xlarge',
        tensorParallelSize: [8, 4, 2].find(
          tp => model.numAttentionHeads % tp === 0,
        ),
        maxModelLen: 4096,
      });
      expect(result.fits).toBe(true);
    }
  });

  it('computes an allocatable below capacity for every instance', () => {
    for (const instance of INSTANCE_CATALOG) {
      const plan = planGpuFit({
        model: 'qwen2.5-0.5b-instruct',
        instanceType: instance.type,
        maxModelLen: 4096,
      });
      const p = accepted(plan);
      expect(p.nodeAllocatable.cpuMillis).toBeLessThan(instance.vcpu * 1000);
      expect(p.nodeAllocatable.memoryMiB).toBeLessThan(
        instance.memoryGiB * 1024,
      );
    }
  });

  it.each([
    [{ model: 'gpt-5' }, /model "gpt-5" is not in the catalog/],
    [
      { instanceType: 'm5.large' },
      /instance type "m5.large" is not in the catalog/,
    ],
    [{ instanceType: 'g5.xlarge', gpu: 't4' }, /has a10g GPUs, not "t4"/],
    [{ instanceType: undefined }, /give an instance type/],
    [
      { gpu: 'rtx9090', instanceType: undefined },
      /GPU "rtx9090" is not in the catalog/,
    ],
    [{ maxModelLen: 65536 }, /from 16 to 32,768/],
    [{ gpuMemoryUtilization: 1.2 }, /between 0 and 1/],
    [{ tensorParallelSize: 3 }, /one of 1, 2, 4, 8/],
    [{ quantization: 'int3' }, /not one of auto, none/],
    [{ maxNumSeqs: 0 }, /maxNumSeqs must be a positive/],
    [
      { model: { hfId: 'x', numLayers: 0 } },
      /model.numLayers must be a positive/,
    ],
  ])('rejects bad input %j with a message naming it', (patch, message) => {
    const input = {
      model: 'mistral-7b-instruct-v0.2',
      instanceType: 'g5.xlarge',
      maxModelLen: 4096,
      ...patch,
    } as any;
    expect(() => planGpuFit(input)).toThrow(PlanInputError);
    expect(() => planGpuFit(input)).toThrow(message);
  });

  it('refuses serving an AWQ checkpoint as FP8', () => {
    const result = refused(
      planGpuFit({
        model: 'mistral-7b-instruct-v0.2-awq',
        instanceType: 'g6.xlarge',
        quantization: 'fp8',
        maxModelLen: 4096,
      }),
    );
    expect(result.reason).toMatch(
      /AWQ checkpoint; it can only be served with quantization awq/,
    );
  });
});

describe('formatPlanRefusal', () => {
  it('lists the reason, then each configuration that fits with its change', () => {
    const result = planGpuFit({
      model: 'mistral-7b-instruct-v0.2',
      instanceType: 'g4dn.xlarge',
      quantization: 'none',
      maxModelLen: 2048,
      gpuMemoryUtilization: 0.95,
    });
    const text = formatPlanRefusal(refused(result));
    const lines = text.split('\n');
    expect(lines[0]).toBe(refused(result).reason);
    expect(lines[1]).toBe('Configurations that fit:');
    expect(lines.slice(2)).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^- Quantize to AWQ .* Change: \{"quantization":"awq"\}$/,
    );
  });
});
