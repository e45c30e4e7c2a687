import { trimPod } from './podInformer';
import {
  MAX_MODEL_NAMES,
  MAX_MODEL_NAME_LENGTH,
  podModelNames,
  vllmModelNames,
} from './modelNames';

const IMAGE = 'vllm/vllm-openai:v0.11.0';

describe('vllmModelNames', () => {
  it('reads every value of --served-model-name, in order', () => {
    expect(
      vllmModelNames({
        image: IMAGE,
        args: [
          '--model',
          'meta-llama/Llama-3.1-8B-Instruct',
          '--served-model-name',
          'llama-3.1-8b',
          'llama',
          '--port',
          '8000',
        ],
      }),
    ).toEqual(['llama-3.1-8b', 'llama']);
  });

  it('reads --flag=value forms', () => {
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--model=Qwen/Qwen2.5-7B', '--served-model-name=qwen'],
      }),
    ).toEqual(['qwen']);
    expect(
      vllmModelNames({ image: IMAGE, args: ['--model=Qwen/Qwen2.5-7B'] }),
    ).toEqual(['Qwen/Qwen2.5-7B']);
  });

  it('falls back to --model, then to the positional model of vllm serve', () => {
    expect(
      vllmModelNames({
        command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
        args: ['--model', 'mistralai/Mistral-7B-Instruct-v0.3', '--port=8000'],
      }),
    ).toEqual(['mistralai/Mistral-7B-Instruct-v0.3']);
    expect(
      vllmModelNames({
        image: 'registry.example.com/ml/inference:1.2',
        command: ['vllm', 'serve'],
        args: ['TheBloke/Mistral-7B-AWQ', '--quantization', 'awq'],
      }),
    ).toEqual(['TheBloke/Mistral-7B-AWQ']);
    expect(
      vllmModelNames({
        command: ['/usr/local/bin/vllm', 'serve', 'org/model', '--dtype=half'],
      }),
    ).toEqual(['org/model']);
  });

  it('takes the last occurrence of a repeated flag, as argparse does', () => {
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--served-model-name', 'a', '--served-model-name=b'],
      }),
    ).toEqual(['b']);
  });

  it('reads the vLLM command of a shell script', () => {
    expect(
      vllmModelNames({
        image: 'python:3.12',
        command: ['/bin/sh', '-c'],
        args: [
          'pip install x && exec vllm serve "org/my model" --served-model-name \'chat\' "chat-v2" --port 8000; echo done',
        ],
      }),
    ).toEqual(['chat', 'chat-v2']);
    // A name taken from a shell variable is unknown here.
    expect(
      vllmModelNames({
        command: ['bash', '-c', 'vllm serve $MODEL'],
      }),
    ).toEqual([]);
  });

  it('expands $(VAR) from literal env values and gives up on Secrets', () => {
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--served-model-name', '$(NAME)-v1', '$$(literal)'],
        env: [{ name: 'NAME', value: 'llama' }],
      }),
    ).toEqual(['llama-v1', '$(literal)']);
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--model', '$(MODEL)'],
        env: [{ name: 'MODEL', valueFrom: { secretKeyRef: { name: 's' } } }],
      }),
    ).toEqual([]);
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--served-model-name', '$(HF_TOKEN)'],
        env: [{ name: 'HF_TOKEN', value: 'hf_secret' }],
      }),
    ).toEqual([]);
  });

  it('keeps hostile values verbatim (they are escaped in PromQL, not here)', () => {
    const hostile = [
      'evil"} or vector(1) #',
      'back\\slash',
      'new\nline',
      '.*|(a+)+$',
    ];
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--served-model-name', ...hostile],
      }),
    ).toEqual(hostile);
    expect(
      vllmModelNames({
        image: IMAGE,
        args: [`--served-model-name=${hostile[0]}`],
      }),
    ).toEqual([hostile[0]]);
  });

  it('refuses values that cannot be model names rather than trimming them', () => {
    const long = 'x'.repeat(MAX_MODEL_NAME_LENGTH + 1);
    expect(
      vllmModelNames({ image: IMAGE, args: ['--served-model-name', long] }),
    ).toEqual([]);
    // vLLM labels its metrics with the value as given, spaces included.
    expect(
      vllmModelNames({ image: IMAGE, args: ['--served-model-name', ' pad\n'] }),
    ).toEqual([' pad\n']);
    expect(
      vllmModelNames({ image: IMAGE, args: ['--served-model-name='] }),
    ).toEqual([]);
    // A flag with no value before the next flag: vLLM would refuse to start.
    expect(
      vllmModelNames({
        image: IMAGE,
        args: ['--served-model-name', '--model', 'org/m'],
      }),
    ).toEqual(['org/m']);
    const many = Array.from({ length: 50 }, (_, i) => `m${i}`);
    expect(
      vllmModelNames({ image: IMAGE, args: ['--served-model-name', ...many] }),
    ).toEqual(many.slice(0, MAX_MODEL_NAMES));
  });

  it('ignores containers that are not vLLM', () => {
    expect(
      vllmModelNames({
        image: 'nginx:1.27',
        args: ['--model', 'not-a-vllm-flag'],
      }),
    ).toEqual([]);
    expect(
      vllmModelNames({
        image: 'ghcr.io/org/vllm-router:1',
        args: ['--static-models', 'x', '--model', 'x'],
      }),
    ).toEqual([]);
    expect(
      vllmModelNames({ image: 'rocm/vllm:latest', args: ['--model', 'x'] }),
    ).toEqual(['x']);
    expect(
      vllmModelNames({ image: 'vllmx/server', args: ['--model', 'x'] }),
    ).toEqual([]);
    // vllm with no serve subcommand and no model.
    expect(vllmModelNames({ command: ['vllm', 'bench'] })).toEqual([]);
    expect(vllmModelNames({ image: IMAGE })).toEqual([]);
  });
});

describe('podModelNames', () => {
  it('reads the first vLLM container that names a model, skipping sidecars', () => {
    expect(
      podModelNames([
        { image: 'envoyproxy/envoy:v1.31', args: ['--model', 'proxy'] },
        { image: IMAGE, args: ['--served-model-name', 'chat'] },
        { image: IMAGE, args: ['--served-model-name', 'other'] },
      ]),
    ).toEqual(['chat']);
    expect(podModelNames(undefined)).toEqual([]);
  });
});

describe('trimPod', () => {
  it('keeps the discovered names on the trimmed pod, not the arguments', () => {
    const args = [
      '--model',
      'org/m',
      '--served-model-name',
      'chat',
      '--api-key',
      'sk-secret',
    ];
    const trimmed = trimPod({
      metadata: { name: 'p', namespace: 'n' },
      spec: { containers: [{ name: 'vllm', image: IMAGE, args } as never] },
    });
    expect(trimmed.modelNames).toEqual(['chat']);
    expect(JSON.stringify(trimmed)).not.toMatch(/--model|sk-secret|args/);
    const plain = trimPod({
      metadata: { name: 'q', namespace: 'n' },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    });
    expect(plain).not.toHaveProperty('modelNames');
  });
});
