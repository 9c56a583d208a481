/** A small server-rendered plot of a series over time: a test's power trace (W), a sustained test's generation rate (tokens/s). */
import { num } from "../format.js";

const W = 320;
const H = 90;
const PAD = { l: 46, r: 6, t: 6, b: 16 };

export function PowerTrace(props: { tMs: number[]; w: number[]; label: string; unit?: string; quantity?: string }) {
  const unit = props.unit ?? "W";
  const n = Math.min(props.tMs.length, props.w.length);
  if (n < 2) return <p class="nm">trace too short to plot</p>;
  const t = props.tMs.slice(0, n);
  const w = props.w.slice(0, n);
  const t0 = Math.min(...t);
  const t1 = Math.max(...t);
  const wMax = Math.max(...w) || 1;
  const x = (v: number) => PAD.l + ((v - t0) / (t1 - t0 || 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / wMax) * (H - PAD.t - PAD.b);
  const pts = t.map((tv, i) => `${x(tv).toFixed(1)},${y(w[i]!).toFixed(1)}`).join(" ");
  return (
    <svg
      class="trace"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${props.label}: ${props.quantity ?? "power"} from 0 to ${num(wMax)} ${unit} over ${num((t1 - t0) / 1000)} s`}
    >
      <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} />
      <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} />
      <text x={PAD.l - 4} y={PAD.t + 8} text-anchor="end">{`${num(wMax)} ${unit}`}</text>
      <text x={PAD.l - 4} y={H - PAD.b} text-anchor="end">
        0
      </text>
      <text x={W - PAD.r} y={H - 3} text-anchor="end">{`${num((t1 - t0) / 1000)} s`}</text>
      <polyline points={pts} />
    </svg>
  );
}
