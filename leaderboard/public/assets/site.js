/*
 * The one script the site ships, a static asset (wrangler.toml [assets]):
 * progressive enhancement only. Without it the charts still show
 * (server-rendered SVG with <title> tooltips and links), the filters still
 * submit (a GET form) and every table works. With it: a styled tooltip on
 * hover, keyboard focus and tap, table rows light up their point, and filter
 * selects apply on change. Text is set with textContent, never as HTML.
 */
(() => {
  // How far (CSS px) from a point's edge a tap still picks it: a fingertip is wider than most markers on a phone.
  const TAP_SLOP = 24;
  function tipFor(box) {
    let t = box.querySelector(".tip");
    if (!t) {
      t = document.createElement("div");
      t.className = "tip";
      t.hidden = true;
      t.setAttribute("role", "status");
      box.appendChild(t);
    }
    return t;
  }
  function show(box, pt, hint) {
    const t = tipFor(box);
    t.textContent = "";
    const lines = (pt._tip || "").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const d = document.createElement("div");
      d.textContent = lines[i];
      if (i === 0) d.style.fontWeight = "700";
      t.appendChild(d);
    }
    if (hint) {
      const h = document.createElement("div");
      h.className = "hint";
      h.textContent = hint;
      t.appendChild(h);
    }
    t.hidden = false;
    const b = box.getBoundingClientRect(),
      r = pt.getBoundingClientRect(),
      w = t.offsetWidth,
      h = t.offsetHeight;
    let x = r.left - b.left + r.width / 2 + 12,
      y = r.top - b.top - 8;
    if (x + w > b.width) x = r.left - b.left - w - 12;
    // Room on neither side (a phone): centre it over the point, above it when it fits, else below.
    if (x < 4) {
      x = Math.min(Math.max(4, r.left - b.left + r.width / 2 - w / 2), b.width - w - 4);
      y = r.top - b.top - h - 10;
      if (y < 4) y = r.bottom - b.top + 10;
    } else if (y + h > b.height) y = b.height - h - 4;
    t.style.left = `${Math.max(4, x)}px`;
    t.style.top = `${Math.max(4, y)}px`;
  }
  function hide(box) {
    const t = box.querySelector(".tip");
    if (t) t.hidden = true;
    box._tapped = null;
  }
  function isLink(el) {
    return el.tagName.toLowerCase() === "a";
  }
  /** The point nearest a tap, within TAP_SLOP of its edge; null when none is that close. */
  function nearest(pts, x, y) {
    let best = null,
      bestD = TAP_SLOP;
    pts.forEach((pt) => {
      const r = pt.getBoundingClientRect();
      if (!r.width) return;
      const d = Math.hypot(x - (r.left + r.width / 2), y - (r.top + r.height / 2)) - Math.max(r.width, r.height) / 2;
      if (d <= bestD) {
        best = pt;
        bestD = d;
      }
    });
    return best;
  }
  const boxes = document.querySelectorAll(".chartbox");
  Array.prototype.forEach.call(boxes, (box) => {
    // Pareto points are links; a scaling chart's points are dots with a <title>.
    const pts = Array.prototype.slice.call(box.querySelectorAll(".pt,circle.dot"));
    if (pts.length === 0) return;
    pts.forEach((pt) => {
      // Take the <title> over: keep its text as a link's accessible name, drop the native tooltip.
      const ti = pt.querySelector("title");
      pt._tip = ti ? ti.textContent : "";
      if (ti) {
        if (isLink(pt)) pt.setAttribute("aria-label", pt._tip.split("\n").join(", "));
        ti.remove();
      }
      pt.addEventListener("pointerenter", (e) => {
        if (e.pointerType === "mouse") show(box, pt);
      });
      pt.addEventListener("pointerleave", (e) => {
        if (e.pointerType === "mouse") hide(box);
      });
      pt.addEventListener("focus", () => {
        show(box, pt);
      });
      pt.addEventListener("blur", () => {
        hide(box);
      });
    });
    // Touch has no hover: the first tap shows the nearest point's tooltip; a second tap on the same point follows its link.
    let touch = false;
    box.addEventListener("pointerdown", (e) => {
      touch = e.pointerType !== "mouse";
    });
    // A click that no pointer began (Enter on a focused link) is never a tap.
    box.addEventListener("click", (e) => {
      const tap = touch;
      touch = false;
      if (!tap) return;
      const pt = nearest(pts, e.clientX, e.clientY);
      if (!pt) {
        hide(box);
        return;
      }
      if (pt === box._tapped && isLink(pt)) return;
      e.preventDefault();
      show(box, pt, isLink(pt) ? "Tap again to open" : "");
      box._tapped = pt;
    });
    box.addEventListener("keydown", (e) => {
      if (e.key === "Escape") hide(box);
    });
  });
  document.addEventListener("click", (e) => {
    Array.prototype.forEach.call(boxes, (b) => {
      if (!b.contains(e.target)) hide(b);
    });
  });
  const rows = document.querySelectorAll("tr[data-cfg]");
  Array.prototype.forEach.call(rows, (row) => {
    const id = row.getAttribute("data-cfg");
    function pts() {
      return document.querySelectorAll(`.pt[data-cfg="${window.CSS && CSS.escape ? CSS.escape(id) : id}"]`);
    }
    row.addEventListener("mouseenter", () => {
      Array.prototype.forEach.call(pts(), (p) => {
        p.classList.add("hl");
      });
    });
    row.addEventListener("mouseleave", () => {
      Array.prototype.forEach.call(pts(), (p) => {
        p.classList.remove("hl");
      });
    });
  });
  const forms = document.querySelectorAll("form[data-autosubmit]");
  Array.prototype.forEach.call(forms, (f) => {
    // Leave empty fields out so the URL holds only the state that differs from the defaults.
    function dropEmpty() {
      Array.prototype.forEach.call(f.elements, (el) => {
        if (el.name && !el.value) el.disabled = true;
      });
    }
    f.addEventListener("submit", dropEmpty);
    Array.prototype.forEach.call(f.querySelectorAll("select"), (s) => {
      s.addEventListener("change", () => {
        dropEmpty();
        f.submit();
      });
    });
  });
})();
