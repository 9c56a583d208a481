/** /boards/:id: the board's specs and envelope (with source), every configuration on it, its best per model. */
import type { BoardDetail } from "../../workers/queries/index.js";
import { byThroughput, ConfigTable } from "../components/config-table.js";
import { EmptyState } from "../components/empty.js";
import { Layout } from "../components/layout.js";
import { plural } from "../format.js";
import type { ConfigRow } from "../types.js";

export function BoardPage(props: { detail: BoardDetail }) {
  const { board } = props.detail;
  const rows = [...props.detail.rows].sort(byThroughput);
  // Best per model variant: its fastest configuration on this board.
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
        <a href={`/?board=${encodeURIComponent(board.id)}`}>Show on the leaderboard</a>
      </p>
      <h2>Specifications</h2>
      <div class="card">
        {board.inCatalogue ? (
          <dl class="kv" id="board-specs">
            <dt>Vendor</dt>
            <dd>{board.vendor ?? "not given"}</dd>
            <dt>PCB</dt>
            <dd>{board.pcbMm ? `${board.pcbMm.widthMm} x ${board.pcbMm.depthMm} mm` : "not in the catalogue"}</dd>
            <dt>Envelope</dt>
            <dd>
              {board.envelope
                ? `${board.envelope.widthMm} x ${board.envelope.depthMm} x ${board.envelope.heightMm} mm (${((board.envelope.widthMm * board.envelope.depthMm * board.envelope.heightMm) / 1e6).toFixed(3)} L)`
                : "no envelope in the catalogue"}
              {board.unverified ? <span class="badge declared">unverified</span> : null}
              <span class="sub muted" style="display:block">
                {board.envelopeNote}
              </span>
            </dd>
            <dt>Source</dt>
            <dd>{board.source ?? "not given"}</dd>
            <dt>Typical power</dt>
            <dd>{board.typicalPower ? `${board.typicalPower} (reference figure, not a measurement)` : "not in the catalogue"}</dd>
          </dl>
        ) : (
          <p>
            This board is not in the registry's catalogue: its name is as submitted, and its size is known only where a submission declared an envelope
            (shown on each result page as "declared by submitter").
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
      {rows.length === 0 ? (
        <EmptyState title="Nothing measured on this board yet" />
      ) : (
        <ConfigTable rows={rows} show="board" id="board-configs" />
      )}
    </Layout>
  );
}
