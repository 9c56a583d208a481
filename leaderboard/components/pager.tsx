/** Pages of a long list on a detail page: `page=` in the URL, 50 rows a page, prev/next and "rows a to b of n". */

export const LIST_PAGE_SIZE = 50;

/** The page a URL asks for, within 1..the last page of `total` rows. */
export function pageOf(param: string | undefined, total: number): number {
  const asked = Number.parseInt(param ?? "1", 10);
  const last = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  return Number.isFinite(asked) && asked > 1 ? Math.min(asked, last) : 1;
}

/** The rows of one page. */
export function pageSlice<T>(rows: readonly T[], page: number): T[] {
  return rows.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
}

export function ListPager(props: { page: number; total: number; href: (page: number) => string; label: string }) {
  const pages = Math.max(1, Math.ceil(props.total / LIST_PAGE_SIZE));
  if (pages === 1) return null;
  const first = (props.page - 1) * LIST_PAGE_SIZE + 1;
  const last = Math.min(props.page * LIST_PAGE_SIZE, props.total);
  return (
    <nav class="pager" aria-label={props.label}>
      {props.page > 1 ? <a href={props.href(props.page - 1)}>← Previous</a> : <span class="muted">← Previous</span>}
      <span>
        Rows {first} to {last} of {props.total} (page {props.page} of {pages})
      </span>
      {props.page < pages ? <a href={props.href(props.page + 1)}>Next →</a> : <span class="muted">Next →</span>}
    </nav>
  );
}
