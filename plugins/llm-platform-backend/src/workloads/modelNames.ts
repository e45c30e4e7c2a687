import parseShell from 'shell-quote/parse';

/** The parts of a container spec that say what it runs. */
export interface ContainerCommandLine {
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
}

/** Longer values are not model names (Hugging Face ids stay under 100). */
export const MAX_MODEL_NAME_LENGTH = 512;
/** At most this many names are kept per pod. */
export const MAX_MODEL_NAMES = 8;

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY/i;
const SHELLS = /(^|\/)(ba|da|z|a)?sh$/;
// vllm/vllm-openai, rocm/vllm, vllm-cpu-release-repo and the like; not
// vllm-router or other tools of the project.
const VLLM_IMAGE = /^vllm(-openai|-(cpu|tpu|rocm|neuron|xpu|hpu|gaudi)\b.*)?$/;
const OPENAI_SERVER = /^vllm\.entrypoints\.(openai\.)?api_server$/;

/**
 * Expands Kubernetes' `$(VAR)` references from the container's literal env,
 * as the kubelet does; `$$(VAR)` stays a literal `$(VAR)`. Returns undefined
 * when a reference cannot be resolved here (a `valueFrom` or unknown
 * variable, or one named like a credential), because the real value is
 * then unknown.
 */
function expand(
  value: string,
  env: Map<string, string | undefined>,
): string | undefined {
  let unresolved = false;
  const out = value.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g,
    (match, name: string | undefined) => {
      if (match === '$$') return '$';
      // A credential never becomes a model name that responses would show.
      const v = SECRET_NAME.test(name!) ? undefined : env.get(name!);
      if (v === undefined) unresolved = true;
      return v ?? match;
    },
  );
  return unresolved ? undefined : out;
}

type Words = Array<string | undefined>;

/**
 * The commands the container runs: its argument vector, or the commands of
 * `sh -c "<script>"` split as a shell would, without running anything.
 * Words whose value is unknown here (a shell variable) are undefined.
 */
function commands(container: ContainerCommandLine): Words[] {
  const env = new Map(
    (container.env ?? []).map(e => [
      e.name,
      e.valueFrom === undefined ? e.value ?? '' : undefined,
    ]),
  );
  const words = [...(container.command ?? []), ...(container.args ?? [])].map(
    w => expand(String(w), env),
  );
  const c = words.findIndex(w => w === '-c' || w === '-lc');
  const script = words[c + 1];
  if (c > 0 && SHELLS.test(words[0] ?? '') && typeof script === 'string') {
    const unknown = '\u0000';
    const out: Words[] = [[]];
    for (const token of parseShell(script, () => unknown)) {
      if (typeof token === 'string') {
        out[out.length - 1].push(token.includes(unknown) ? undefined : token);
      } else if ('op' in token && token.op !== 'glob') {
        out.push([]);
      } else if ('op' in token) {
        out[out.length - 1].push(token.pattern);
      }
    }
    return out;
  }
  return [words];
}

const isFlag = (w: string | undefined) => w !== undefined && w.startsWith('-');

/** Values of `--flag v1 v2 ...` (until the next flag) or `--flag=v`. */
function flagValues(
  words: Words,
  flag: string,
  many: boolean,
): Array<string | undefined> | undefined {
  let found: Array<string | undefined> | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === undefined) continue;
    if (w.startsWith(`${flag}=`)) {
      found = [w.slice(flag.length + 1)];
    } else if (w === flag) {
      const values: Array<string | undefined> = [];
      for (let j = i + 1; j < words.length && !isFlag(words[j]); j++) {
        values.push(words[j]);
        if (!many) break;
      }
      found = values;
    }
    // argparse: the last occurrence wins.
  }
  return found;
}

/** Where vLLM's own arguments start; undefined when the command is not vLLM. */
function vllmStart(
  words: Words,
  image: string | undefined,
): { at: number; positional: boolean } | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === undefined) continue;
    if (/(^|\/)vllm$/.test(w) && words[i + 1] === 'serve') {
      return { at: i + 2, positional: true };
    }
    if (OPENAI_SERVER.test(w)) return { at: i + 1, positional: false };
  }
  // vLLM's images run the OpenAI server as their entrypoint: only arguments.
  const repository = (image ?? '').split('@')[0].replace(/:[^/]*$/, '');
  if (VLLM_IMAGE.test(repository.split('/').pop() ?? '')) {
    return { at: 0, positional: false };
  }
  return undefined;
}

const usable = (name: string | undefined): name is string =>
  name !== undefined && name !== '' && name.length <= MAX_MODEL_NAME_LENGTH;

/**
 * The model names a vLLM container serves, read from its command line as vLLM
 * parses it: every value of `--served-model-name` (vLLM labels its metrics
 * with the first), else `--model`, else the positional model of
 * `vllm serve <model>`. Handles `--flag=value`, `$(VAR)` references to
 * literal env values and `sh -c "vllm serve ..."`. Returns an empty list for
 * a container that is not vLLM or whose model cannot be known from its spec
 * (for example a name taken from a Secret).
 */
export function vllmModelNames(container: ContainerCommandLine): string[] {
  const all = commands(container);
  let words: Words | undefined;
  let start: ReturnType<typeof vllmStart>;
  for (const command of all) {
    start = vllmStart(command, all.length > 1 ? undefined : container.image);
    if (start) {
      words = command;
      break;
    }
  }
  if (!words || !start) return [];
  const tail = words.slice(start.at);
  const pick = (values: Array<string | undefined> | undefined) => {
    if (!values || values.length === 0) return undefined;
    // An unknown value makes the whole answer unknown, not a shorter list.
    if (!values.every(usable)) return [];
    return [...new Set(values as string[])].slice(0, MAX_MODEL_NAMES);
  };
  const served = pick(flagValues(tail, '--served-model-name', true));
  if (served) return served;
  const model = pick(flagValues(tail, '--model', false));
  if (model) return model;
  if (start.positional && !isFlag(tail[0])) return pick([tail[0]]) ?? [];
  return [];
}

/**
 * The names vLLM serves in a pod: those of its first vLLM container that
 * names any. The first of them is the `model_name` label of its metrics.
 */
export function podModelNames(
  containers: ContainerCommandLine[] | undefined,
): string[] {
  for (const c of containers ?? []) {
    const names = vllmModelNames(c);
    if (names.length) return names;
  }
  return [];
}
