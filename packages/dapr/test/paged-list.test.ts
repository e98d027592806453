import { describe, expect, it } from 'vitest';
import { InvalidCursorError, PagedList } from '../src/index.ts';
import { InMemoryStateStore } from '../src/fakes.ts';

const ids = (n: number, prefix = 'id') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

async function filled(n: number, options: { pageSize?: number; maxPages?: number } = {}) {
  const state = new InMemoryStateStore();
  const list = new PagedList(state, 'list', { pageSize: 3, ...options });
  for (const id of ids(n)) await list.append(id);
  return { state, list };
}

async function readAll(list: PagedList, limit: number) {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const slice = await list.forward(cursor, limit);
    out.push(...slice.ids);
    if (slice.end) return out;
    cursor = slice.next;
  }
  throw new Error('never reached the end');
}

describe('PagedList', () => {
  it('when ids are appended, then they fill fixed-size pages and no page holds more than its size', async () => {
    const { state } = await filled(7);
    expect(state.entries.get('list:p:0')?.value).toEqual(['id0', 'id1', 'id2']);
    expect(state.entries.get('list:p:1')?.value).toEqual(['id3', 'id4', 'id5']);
    expect(state.entries.get('list:p:2')?.value).toEqual(['id6']);
    expect(state.entries.get('list:head')?.value).toEqual({ first: 0, last: 2 });
  });

  it.each([1, 2, 3, 4, 7, 50])('when read forward %i at a time, then every id comes once, in order', async (limit) => {
    const { list } = await filled(10);
    expect(await readAll(list, limit)).toEqual(ids(10));
  });

  it('when the list is empty, then the first read ends at once', async () => {
    const { list } = await filled(0);
    expect(await list.forward(undefined, 10)).toMatchObject({ ids: [], end: true });
  });

  it('when a reader holds `next` from the end and more ids arrive, then the next read returns just those', async () => {
    const { list } = await filled(4);
    const first = await list.forward(undefined, 10);
    expect(first).toMatchObject({ ids: ids(4), end: true });
    for (const id of ['x', 'y', 'z']) await list.append(id);
    expect(await list.forward(first.next, 10)).toMatchObject({ ids: ['x', 'y', 'z'], end: true });
  });

  it('when the same id is appended twice in a row (a redelivery), then it is kept once', async () => {
    const { list } = await filled(2);
    await list.append('id1');
    expect(await readAll(list, 10)).toEqual(ids(2));
  });

  it('when many writers append at once, then no id is lost or doubled', async () => {
    const { list } = await filled(0, { pageSize: 4 });
    await Promise.all(ids(40, 'c').map((id) => list.append(id)));
    expect((await readAll(list, 7)).sort()).toEqual(ids(40, 'c').sort());
  });

  it('when more pages than maxPages exist, then the oldest are dropped and a cursor into them continues at the oldest kept', async () => {
    const { state, list } = await filled(3);
    const early = (await list.forward(undefined, 1)).next; // points into page 0
    const bounded = new PagedList(state, 'list', { pageSize: 3, maxPages: 2 });
    for (const id of ids(9, 'n')) await bounded.append(id);
    expect([...state.entries.keys()].filter((k) => k.startsWith('list:p:')).sort()).toEqual(['list:p:2', 'list:p:3']);
    expect((await bounded.forward(early, 100)).ids).toEqual(['n3', 'n4', 'n5', 'n6', 'n7', 'n8']);
  });

  it('newest(n) returns the last n ids, newest first, across pages', async () => {
    const { list } = await filled(8);
    expect(await list.newest(5)).toEqual(['id7', 'id6', 'id5', 'id4', 'id3']);
  });

  it('when a cursor was not made by the list, then InvalidCursorError', async () => {
    const { list } = await filled(3);
    await expect(list.forward('garbage', 2)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(list.forward(Buffer.from('99.0').toString('base64url'), 2)).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
