import { shareUnchanged } from './shareUnchanged';

describe('shareUnchanged', () => {
  it('returns the previous value when nothing changed', () => {
    const prev = { a: [1, { b: 'x' }], c: null };
    expect(shareUnchanged(prev, { a: [1, { b: 'x' }], c: null })).toBe(prev);
  });

  it('keeps unchanged branches and replaces changed ones', () => {
    const prev = {
      keep: { n: 1 },
      change: { n: 1 },
      list: [{ id: 1 }, { id: 2 }],
    };
    const next = shareUnchanged(prev, {
      keep: { n: 1 },
      change: { n: 2 },
      list: [{ id: 1 }, { id: 3 }],
    });
    expect(next).not.toBe(prev);
    expect(next.keep).toBe(prev.keep);
    expect(next.change).toEqual({ n: 2 });
    expect(next.list[0]).toBe(prev.list[0]);
    expect(next.list[1]).toEqual({ id: 3 });
  });

  it('notices added and removed keys and items', () => {
    const prev = { a: 1, list: [1, 2] };
    expect(shareUnchanged(prev, { a: 1, b: 2, list: [1, 2] })).toEqual({
      a: 1,
      b: 2,
      list: [1, 2],
    });
    const shorter = shareUnchanged(prev, { a: 1, list: [1] });
    expect(shorter.list).toEqual([1]);
    expect(
      shareUnchanged({ a: 1, b: undefined }, { a: 1, c: undefined }),
    ).toEqual({
      a: 1,
      c: undefined,
    });
  });
});
