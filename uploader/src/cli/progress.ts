/**
 * Progress on stderr: a spinner line on a terminal, plain lines otherwise
 * (CI, pipes, NO_COLOR), so logs stay readable and stdout stays data.
 */
import type { Progress } from "../runner/progress.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function stderrProgress(plain: boolean, out: NodeJS.WriteStream = process.stderr): Progress {
  if (plain) {
    let lastPct = -1;
    return {
      line: (t) => out.write(`${t}\n`),
      status: (t) => out.write(`${t.trim()}\n`),
      fraction: (label, done, total) => {
        const pct = total > 0 ? Math.floor((100 * done) / total / 10) * 10 : 0;
        if (pct !== lastPct) out.write(`${label}: ${pct} %\n`);
        lastPct = pct;
      },
      end: () => {},
    };
  }
  let current = "";
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => out.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${current}`.slice(0, (out.columns || 100) + 8));
  const clear = () => out.write("\r\x1b[K");
  const ensureTimer = () => {
    if (timer) return;
    timer = setInterval(draw, 100);
    timer.unref();
  };
  return {
    line: (t) => {
      clear();
      out.write(`${t}\n`);
      if (current) draw();
    },
    status: (t) => {
      current = t.trim();
      ensureTimer();
      draw();
    },
    fraction: (label, done, total) => {
      const width = 24;
      const f = total > 0 ? Math.min(1, done / total) : 0;
      current = `${label} [${"█".repeat(Math.round(f * width)).padEnd(width, "░")}] ${(f * 100).toFixed(0)} %`;
      ensureTimer();
      draw();
    },
    end: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      current = "";
      clear();
    },
  };
}
