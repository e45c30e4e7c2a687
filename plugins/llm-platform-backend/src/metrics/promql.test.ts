import { escapeRegex, matchAny, promqlString } from './promql';

// The parser's view: a PromQL string literal decoded with Go's rules, which
// for the escapes promqlString emits are JSON's.
const decode = (literal: string) => JSON.parse(literal) as string;

describe('promqlString', () => {
  it.each([
    ['quotes', 'a"b'],
    ['backslashes', 'a\\b\\'],
    ['newlines and control characters', 'a\nb\r\t\u0000\u001f'],
    ['a closing brace', '"} or vector(1)'],
    ['unicode', 'modèle-😀'],
  ])('keeps %s inside one literal and round-trips them', (_what, value) => {
    const literal = promqlString(value);
    expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
    // No unescaped quote inside: the literal cannot end early.
    expect(literal.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*"/);
    expect(literal).not.toContain('\n');
    expect(literal).not.toContain(String.fromCharCode(0));
    expect(decode(literal)).toBe(value);
  });
});

describe('escapeRegex', () => {
  it('makes every RE2 metacharacter literal', () => {
    const meta = '.+*?()|[]{}^$\\';
    const pattern = new RegExp(`^${escapeRegex(meta)}$`);
    expect(pattern.test(meta)).toBe(true);
    expect(new RegExp(`^${escapeRegex('.*')}$`).test('anything')).toBe(false);
  });
});

describe('matchAny', () => {
  it('uses equality for one value and an escaped, sorted alternation for several', () => {
    expect(matchAny('model_name', ['m'], 'model name')).toBe('model_name="m"');
    expect(matchAny('model_name', ['b.c', 'a|b', 'b.c'], 'model name')).toBe(
      'model_name=~"a\\\\|b|b\\\\.c"',
    );
  });

  it('rejects empty, very long and malformed values with InputError', () => {
    expect(() => matchAny('pod', [], 'pod name')).toThrow(/at least one value/);
    expect(() => matchAny('pod', [''], 'pod name')).toThrow(/non-empty/);
    expect(() => matchAny('pod', ['p'.repeat(513)], 'pod name')).toThrow(
      /pod name is 513 characters long; at most 512/,
    );
    expect(() => matchAny('pod', ['a\ud800'], 'pod name')).toThrow(
      /lone surrogate/,
    );
    expect(() =>
      matchAny(
        'pod',
        Array.from({ length: 201 }, (_, i) => `p${i}`),
        'pod name',
      ),
    ).toThrow(/201 values given; at most 200/);
  });

  it('never accepts a label name from input', () => {
    expect(() => matchAny('pod"} or vector(1)', ['x'], 'pod name')).toThrow(
      /invalid label name/,
    );
  });
});
