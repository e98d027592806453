import { z } from 'zod';
import { retryOnConflict } from './cas.ts';
import { EtagMismatchError, type StateStore } from './ports.ts';

const Head = z.object({ first: z.number().int().min(0), last: z.number().int().min(0) });
type Head = z.infer<typeof Head>;
const Page = z.array(z.string());

export interface PagedListOptions {
  /** Ids per page: the most one write rewrites, and the unit a read fetches. */
  pageSize?: number;
  /** Retention: when more pages than this exist, the oldest is dropped. Unbounded when absent. */
  maxPages?: number;
}

export interface Slice {
  ids: string[];
  /** Where the next read continues (an opaque cursor). */
  next: string;
  /** The read reached the end of the list as it is now. */
  end: boolean;
}

/** An opaque cursor: page and offset, base64url so clients do not build their own. */
const encode = (page: number, offset: number) => Buffer.from(`${page}.${offset}`).toString('base64url');
function decode(cursor: string): { page: number; offset: number } | undefined {
  const m = /^(\d{1,9})\.(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? { page: Number(m[1]), offset: Number(m[2]) } : undefined;
}

/**
 * The newest page number seen per list in this process, so an append can read the head and that page
 * together. Only a hint: a wrong one costs one more read. Bounded, so many users' lists cannot grow it.
 */
const newestPageSeen = new Map<string, number>();
const HINTS_KEPT = 10_000;
function rememberNewestPage(prefix: string, page: number) {
  if (newestPageSeen.size >= HINTS_KEPT && !newestPageSeen.has(prefix)) newestPageSeen.clear();
  newestPageSeen.set(prefix, page);
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

/**
 * An append-mostly list of ids on a key-value store, in fixed-size pages, so no write rewrites more
 * than one page and a read costs O(page) however long the list grows (the per-user arrays it replaces
 * were rewritten whole on every append). Keys: `<prefix>:head` = {first, last} page numbers,
 * `<prefix>:p:<n>` = the ids of page n. Appends are compare-and-set (retryOnConflict); a full page
 * moves `last` on. With `maxPages`, the oldest page is dropped as a new one opens (retention).
 * Ids are never removed one by one — that would shift the offsets cursors point at: readers skip ids
 * whose record is gone (a deleted task), and retention drops whole pages.
 */
export class PagedList {
  private readonly pageSize: number;
  private readonly maxPages: number | undefined;

  constructor(
    private readonly state: StateStore,
    private readonly prefix: string,
    options: PagedListOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages;
  }

  private headKey = () => `${this.prefix}:head`;
  private pageKey = (n: number) => `${this.prefix}:p:${n}`;

  async head(): Promise<Head> {
    return (await this.state.get(this.headKey(), Head))?.value ?? { first: 0, last: 0 };
  }

  /**
   * Appends `id` unless the newest page already holds it (a redelivered append is a no-op; callers that
   * need set semantics across pages dedupe when reading). Returns the page it is on.
   */
  async append(id: string): Promise<number> {
    return retryOnConflict(async () => {
      // The head and the page it most likely names in one round trip (the newest page number this
      // process saw for the list); a second read only when another writer moved the head on.
      const hint = newestPageSeen.get(this.prefix) ?? 0;
      const found = await this.state.getMany([this.headKey(), this.pageKey(hint)], z.union([Head, Page]));
      const stored = found.get(this.headKey()) as { value: Head; etag: string } | undefined;
      const head = stored?.value ?? { first: 0, last: 0 };
      rememberNewestPage(this.prefix, head.last);
      const key = this.pageKey(head.last);
      const page = head.last === hint ? (found.get(key) as { value: string[]; etag: string } | undefined) : await this.state.get(key, Page);
      const ids = page?.value ?? [];
      if (ids.includes(id)) return head.last;
      if (ids.length < this.pageSize) {
        if (page) await this.state.save(key, [...ids, id], { etag: page.etag });
        else if (!(await this.state.claim(key, [id]))) throw new EtagMismatchError(key);
        return head.last;
      }
      // The newest page is full: open the next one (compare-and-set on the head), then append there.
      const next: Head = { first: head.first, last: head.last + 1 };
      const dropped = this.maxPages !== undefined && next.last - next.first + 1 > this.maxPages ? next.first : undefined;
      if (dropped !== undefined) next.first = dropped + 1;
      if (stored) await this.state.save(this.headKey(), next, { etag: stored.etag });
      else if (!(await this.state.claim(this.headKey(), next))) throw new EtagMismatchError(this.headKey());
      if (dropped !== undefined) await this.state.delete(this.pageKey(dropped)).catch(() => undefined);
      throw new EtagMismatchError(key); // go round again: append to the page just opened
    });
  }

  /**
   * Up to `limit` ids, oldest first, from `cursor` (or the start). `next` is where to continue — also
   * after the end, so a poller picks up what is appended later; `end` says the end was reached now.
   */
  async forward(cursor: string | undefined, limit: number): Promise<Slice> {
    const head = await this.head();
    const from = cursor === undefined ? { page: head.first, offset: 0 } : decode(cursor);
    if (!from) throw new InvalidCursorError();
    // Pages before `first` were dropped (retention): continue with the oldest one left.
    let at: { page: number; offset: number } = from.page < head.first ? { page: head.first, offset: 0 } : from;
    if (at.page > head.last) throw new InvalidCursorError();
    const ids: string[] = [];
    let end = false;
    while (!end && ids.length < limit) {
      // As many pages as the rest of the limit could need, in one round trip.
      const count = Math.min(head.last - at.page + 1, Math.max(1, Math.ceil((at.offset + limit - ids.length) / this.pageSize)));
      const start = at.page;
      const numbers = Array.from({ length: count }, (_, i) => start + i);
      const pages = await this.state.getMany(numbers.map(this.pageKey), Page);
      for (const n of numbers) {
        const page = pages.get(this.pageKey(n))?.value ?? [];
        const take = page.slice(at.offset, at.offset + limit - ids.length);
        ids.push(...take);
        const offset: number = at.offset + take.length;
        if (n === head.last && offset >= page.length) {
          at = { page: n, offset };
          end = true;
          break;
        }
        at = offset < page.length ? { page: n, offset } : { page: n + 1, offset: 0 };
        if (ids.length >= limit) break;
      }
    }
    return { ids, next: encode(at.page, at.offset), end };
  }

  /** The newest `limit` ids, newest first. */
  async newest(limit: number): Promise<string[]> {
    const head = await this.head();
    const out: string[] = [];
    for (let n = head.last; n >= head.first && out.length < limit; n--) {
      const page = (await this.state.get(this.pageKey(n), Page))?.value ?? [];
      out.push(...[...page].reverse());
    }
    return out.slice(0, limit);
  }

  /** Every id, oldest first, a few pages at a time (for summaries that must see everything). */
  async *all(): AsyncGenerator<string[]> {
    let cursor: string | undefined;
    for (;;) {
      const slice = await this.forward(cursor, this.pageSize * 5);
      if (slice.ids.length) yield slice.ids;
      if (slice.end) return;
      cursor = slice.next;
    }
  }
}
