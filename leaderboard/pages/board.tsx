/** /boards/:id: the board's catalogue figures (each with its public sources), every configuration on it, its best per model. */
import { envelopeLitres } from "@edgebench/contract";
import type { BoardDetail, SourcedFigure } from "../../workers/read/boards.js";
import { ConfigTable } from "../components/config-table.js";
import { EmptyState } from "../components/empty.js";
import { Layout } from "../components/layout.js";
import { ListPager, pageSlice } from "../components/pager.js";
import { TestDataBadge } from "../components/test-data-badge.js";
import { num, plural } from "../format.js";
import type { ConfigRow } from "../types.js";

/** A catalogue figure, its trust marks and the links to where it comes from. */
function Figure<T>(props: { figure: SourcedFigure<T> | null; text: (value: T) => string; missing: string; field: string; about?: string | null }) {
  const f = props.figure;
  const about = props.about ? (
    <span class="sub muted" style="display:block">
      {props.about}
    </span>
  ) : null;
  if (!f) {
    return (
      <dd data-field={props.field}>
        {props.missing}
        {about}
      </dd>
    );
  }
  return (
    <dd data-field={props.field}>
      {props.text(f.value)}
      {about}
      {f.unverified ? (
        <span class="badge declared" title="From a single source that is not the vendor's: provisional">
          unverified
        </span>
      ) : null}
      {f.derived ? (
        <span class="badge" title="Worked out from the sourced inputs in the note">
          derived
        </span>
      ) : null}
      {f.note ? (
        <span class="sub muted" style="display:block">
          {f.note}
        </span>
      ) : null}
      <span class="sub muted sources" style="display:block">
        Source{f.sources.length === 1 ? "" : "s"}:{" "}
        {f.sources.map((s, i) => (
          <>
            {i > 0 ? "; " : ""}
            {s.url ? (
              <a href={s.url} rel="noopener nofollow">
                {s.title}
              </a>
            ) : (
              s.title
            )}
          </>
        ))}
      </span>
    </dd>
  );
}

/** `page` and `test` as the board page's links keep them. */
export function boardHref(id: string, at: { page?: number; test: boolean }): string {
  const q = new URLSearchParams();
  if (at.test) q.set("test", "1");
  if (at.page && at.page > 1) q.set("page", String(at.page));
  const s = q.toString();
  return `/boards/${encodeURIComponent(id)}${s ? `?${s}` : ""}`;
}

export function BoardPage(props: { detail: BoardDetail; page: number; test: boolean }) {
  const { board, rows } = props.detail;
  // Best per model variant: its fastest configuration on this board (rows come fastest first).
  const best = new Map<string, ConfigRow>();
  for (const r of rows) if (!best.has(r.modelId) && r.metrics.tg_tps !== undefined) best.set(r.modelId, r);
  return (
    <Layout title={board.name} section="other">
      <p>
        <a href="/">← Leaderboard</a>
      </p>
      <h1>{board.name}</h1>
      <p class="lede">
        {plural(board.submissions, "submission")} from {plural(board.contributors, "contributor")}
        {board.firstSeenAt && board.lastSeenAt ? `; first seen ${board.firstSeenAt.slice(0, 10)}, last ${board.lastSeenAt.slice(0, 10)}` : ""}.{" "}
        <a href={`/?board=${encodeURIComponent(board.id)}${props.test || props.detail.testData ? "&test=1" : ""}`}>Show on the leaderboard</a>
      </p>
      {props.detail.testData ? <TestDataBadge what="A board no one identified" /> : null}
      <h2>Specifications</h2>
      <div class="card">
        {board.inCatalogue ? (
          <dl class="kv" id="board-specs">
            <dt>Vendor</dt>
            <dd>{board.vendor ?? "not given"}</dd>
            <dt>Board size</dt>
            <Figure
              field="pcb"
              figure={board.pcbMm}
              text={(v) => `${v.widthMm} x ${v.depthMm} mm (${num((v.widthMm * v.depthMm) / 100)} cm²)`}
              missing="unknown"
            />
            <dt>Envelope</dt>
            <Figure
              field="envelope"
              figure={board.envelope}
              text={(v) => `${v.widthMm} x ${v.depthMm} x ${v.heightMm} mm (${num(envelopeLitres(v)!)} L)`}
              missing="unknown (no sourced height)"
              about={board.envelopeNote}
            />
            <dt>Peak memory bandwidth</dt>
            <Figure field="bandwidth" figure={board.bandwidthGBps} text={(v) => `${num(v)} GB/s`} missing="unknown" />
            <dt>Power</dt>
            <Figure field="power" figure={board.typicalPower} text={(v) => `${v} (as published, not a measurement)`} missing="unknown" />
            <dt>Processors</dt>
            <Figure field="accelerators" figure={board.accelerators} text={(v) => v} missing="unknown" />
          </dl>
        ) : (
          <p>
            This board is not in the registry's catalogue: its name is as submitted, and its size is known only where a submission declared an
            envelope (shown on each result page as "declared by submitter").
          </p>
        )}
      </div>
      <h2>Best per model</h2>
      {best.size === 0 ? (
        <p class="muted">No generation figure on this board yet.</p>
      ) : (
        <ConfigTable rows={[...best.values()]} show="board" id="best-per-model" />
      )}
      <h2>Every configuration measured on it</h2>
      {props.detail.testData ? null : (
        <p class="muted">
          {props.test ? (
            <a href={boardHref(board.id, { test: false })}>Leave out test data</a>
          ) : (
            <a href={boardHref(board.id, { test: true })}>Include test data (generated models)</a>
          )}
        </p>
      )}
      {rows.length === 0 ? (
        <EmptyState title="Nothing measured on this board yet" />
      ) : (
        <>
          <ConfigTable rows={pageSlice(rows, props.page)} show="board" id="board-configs" />
          <ListPager page={props.page} total={rows.length} href={(page) => boardHref(board.id, { page, test: props.test })} label="Configurations" />
        </>
      )}
    </Layout>
  );
}
