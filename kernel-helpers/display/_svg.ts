/**
 * Internal: a static SVG picture of a simple Plotly figure (line/scatter, bar, heatmap and
 * table traces on cartesian axes), for viewers that run no JavaScript. Anything else gives
 * `undefined` and the bundle simply carries no image.
 *
 * @module
 */

type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const SUPPORTED = new Set(["scatter", "scattergl", "bar", "heatmap", "table"]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;

/** Escapes text for SVG/XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** The text of a Plotly title (`"t"` or `{text: "t"}`). */
export function titleText(title: unknown): string {
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") return (title as { text: string }).text;
  return "";
}

function fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace("e+", "e");
  return String(Number(v.toPrecision(4)));
}

function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

interface Axis {
  kind: "linear" | "log" | "date" | "category";
  min: number;
  max: number;
  categories: string[];
}

function toNum(v: unknown, axis: Axis): number | null {
  if (axis.kind === "category") {
    const i = axis.categories.indexOf(String(v));
    return i < 0 ? null : i;
  }
  if (axis.kind === "date") return typeof v === "string" ? Date.parse(v) : typeof v === "number" ? v : null;
  if (axis.kind === "log") return typeof v === "number" && v > 0 && Number.isFinite(v) ? Math.log10(v) : null;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function buildAxis(values: unknown[], spec: Layout | undefined, padCategories: boolean): Axis {
  const present = values.filter((v) => v !== null && v !== undefined);
  const allNum = present.every((v) => typeof v === "number");
  const allDate = !allNum && present.length > 0 && present.every((v) => typeof v === "string" && ISO_DATE.test(v));
  const axisType = spec?.type;
  if ((!allNum && !allDate) || axisType === "category") {
    const categories = [...new Set(present.map(String))];
    const pad = padCategories ? 0.5 : 0;
    return { kind: "category", min: -pad, max: Math.max(categories.length - 1, 0) + pad, categories };
  }
  const log = axisType === "log" && allNum;
  const nums = present
    .map((v) => (allDate ? Date.parse(v as string) : log ? ((v as number) > 0 ? Math.log10(v as number) : NaN) : (v as number)))
    .filter(Number.isFinite);
  let min = nums.length ? Math.min(...nums) : 0;
  let max = nums.length ? Math.max(...nums) : 1;
  const range = arr(spec?.range);
  if (range.length === 2 && typeof range[0] === "number" && typeof range[1] === "number") [min, max] = range as [number, number];
  if (min === max) {
    min -= 1;
    max += 1;
  }
  return { kind: allDate ? "date" : log ? "log" : "linear", min, max, categories: [] };
}

function tickLabel(v: number, axis: Axis): string {
  if (axis.kind === "category") return axis.categories[Math.round(v)] ?? "";
  if (axis.kind === "date") return new Date(v).toISOString().slice(0, 10);
  if (axis.kind === "log") return fmt(10 ** v);
  return fmt(v);
}

function heatColor(t: number): string {
  const c = (a: number, b: number) => Math.round(a + (b - a) * Math.min(Math.max(t, 0), 1));
  return `rgb(${c(247, 8)},${c(251, 48)},${c(255, 107)})`;
}

function axisKey(prefix: "x" | "y", ref: unknown): string {
  const id = typeof ref === "string" && ref.length > 1 ? ref.slice(1) : "";
  return `${prefix}axis${id}`;
}

function renderTable(trace: Trace, x0: number, y0: number, w: number): string[] {
  const header = arr((trace.header as Trace | undefined)?.values).map(String);
  const columns = arr((trace.cells as Trace | undefined)?.values).map((c) => arr(c).map(String));
  const n = Math.max(header.length, columns.length, 1);
  const colW = w / n;
  const rows = Math.max(0, ...columns.map((c) => c.length));
  const out: string[] = [];
  const cell = (text: string, col: number, row: number, bold: boolean) => {
    const y = y0 + row * 24;
    out.push(`<rect x="${x0 + col * colW}" y="${y}" width="${colW}" height="24" fill="${bold ? "#e8eef7" : "#fff"}" stroke="#c8d0dc"/>`);
    const clipped = text.length > colW / 6.5 ? `${text.slice(0, Math.max(1, Math.floor(colW / 6.5) - 1))}…` : text;
    out.push(`<text x="${x0 + col * colW + 6}" y="${y + 16}" font-size="12"${bold ? ' font-weight="bold"' : ""}>${escapeXml(clipped)}</text>`);
  };
  header.forEach((h, i) => cell(h, i, 0, true));
  for (let r = 0; r < rows; r++) columns.forEach((c, i) => cell(c[r] ?? "", i, r + 1, false));
  return out;
}

/**
 * Renders a Plotly figure as a static SVG string, or `undefined` when it uses trace types
 * or features this renderer does not draw.
 *
 * @param fig The figure (`data`, `layout`).
 * @returns SVG markup, or `undefined`.
 */
export function figureToSvg(fig: { data: Trace[]; layout?: Layout }): string | undefined {
  const traces = fig.data;
  if (traces.some((t) => !SUPPORTED.has(String(t.type ?? "scatter")))) return undefined;
  const layout = fig.layout ?? {};
  const W = typeof layout.width === "number" ? layout.width : 760;
  const H = typeof layout.height === "number" ? layout.height : 440;
  const titleLines = titleText(layout.title) ? titleText(layout.title).split(/<br\s*\/?>/i).length : 0;
  const legendY = 16 + titleLines * 17;
  const hasSubplotTitles = arr(layout.annotations).some((a) => (a as Layout).xref === "paper");
  const m = { l: 70, r: 20, t: legendY + 22 + (hasSubplotTitles ? 14 : 0), b: 56 };
  const plotW = W - m.l - m.r;
  const plotH = H - m.t - m.b;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
  ];
  const title = titleText(layout.title);
  if (title) {
    title.split(/<br\s*\/?>/i).forEach((line, i) => {
      const text = escapeXml(line.replace(/<[^>]+>/g, ""));
      out.push(`<text x="${W / 2}" y="${24 + i * 16}" text-anchor="middle" font-size="${i === 0 ? 16 : 12}"${i ? ' fill="#555"' : ""}>${text}</text>`);
    });
  }

  const tables = traces.filter((t) => t.type === "table");
  if (tables.length > 0) {
    if (tables.length !== traces.length) return undefined;
    tables.forEach((t) => out.push(...renderTable(t, m.l - 50, m.t - 14, W - m.l - m.r + 50)));
    out.push("</svg>");
    return out.join("");
  }

  // Group traces by their (x axis, y axis) pair.
  const groups = new Map<string, Trace[]>();
  for (const t of traces) {
    const key = `${axisKey("x", t.xaxis)}|${axisKey("y", t.yaxis)}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  let colorIndex = 0;
  const legend: Array<{ name: string; color: string }> = [];
  for (const [key, group] of groups) {
    const [xk, yk] = key.split("|") as [string, string];
    const xs = (layout[xk] ?? {}) as Layout;
    const ys = (layout[yk] ?? {}) as Layout;
    const xd = arr(xs.domain).length === 2 ? (xs.domain as [number, number]) : [0, 1];
    const yd = arr(ys.domain).length === 2 ? (ys.domain as [number, number]) : [0, 1];
    const px0 = m.l + xd[0] * plotW;
    const px1 = m.l + xd[1] * plotW;
    const py0 = m.t + (1 - yd[1]) * plotH;
    const py1 = m.t + (1 - yd[0]) * plotH;
    const hasBars = group.some((t) => t.type === "bar");
    const heat = group.find((t) => t.type === "heatmap");
    const xVals: unknown[] = [];
    const yVals: unknown[] = [];
    for (const t of group) {
      if (t.type === "heatmap") {
        xVals.push(...arr(t.x));
        yVals.push(...arr(t.y));
        continue;
      }
      const y = arr(t.y);
      const x = Array.isArray(t.x) ? t.x : y.map((_, i) => i);
      xVals.push(...x);
      yVals.push(...y);
      if (t.type === "bar" && Array.isArray(t.width)) {
        const w = t.width;
        x.forEach((v, i) => {
          if (typeof v === "number" && typeof w[i] === "number") xVals.push(v - (w[i] as number) / 2, v + (w[i] as number) / 2);
        });
      }
    }
    if (hasBars) yVals.push(0);
    const xa = buildAxis(xVals, xs, hasBars || !!heat);
    const ya = buildAxis(yVals, ys, !!heat);
    if (ya.kind === "linear" && !Array.isArray(ys.range)) ya.max += (ya.max - ya.min) * 0.05;
    if (ys.autorange === "reversed") [ya.min, ya.max] = [ya.max, ya.min];
    const sx = (v: number) => px0 + ((v - xa.min) / (xa.max - xa.min)) * (px1 - px0);
    const sy = (v: number) => py1 - ((v - ya.min) / (ya.max - ya.min)) * (py1 - py0);

    // Axes, grid and ticks.
    out.push(`<rect x="${px0}" y="${py0}" width="${px1 - px0}" height="${py1 - py0}" fill="#f6f8fb"/>`);
    const logTicks = (a: Axis) => {
      const out: number[] = [];
      for (let k = Math.ceil(Math.min(a.min, a.max)); k <= Math.floor(Math.max(a.min, a.max)); k++) out.push(k);
      return out.length > 1 ? out : niceTicks(Math.min(a.min, a.max), Math.max(a.min, a.max));
    };
    const yTicks =
      ya.kind === "category" ? ya.categories.map((_, i) => i) : ya.kind === "log" ? logTicks(ya) : niceTicks(Math.min(ya.min, ya.max), Math.max(ya.min, ya.max));
    for (const t of yTicks) {
      const y = sy(t);
      out.push(`<line x1="${px0}" x2="${px1}" y1="${y}" y2="${y}" stroke="#dde3ea"/>`);
      out.push(`<text x="${px0 - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#444">${escapeXml(tickLabel(t, ya))}</text>`);
    }
    const xTickValues =
      xa.kind === "category" ? xa.categories.map((_, i) => i) : xa.kind === "log" ? logTicks(xa) : niceTicks(xa.min, xa.max, xa.kind === "date" ? 4 : 6);
    if (typeof xs.dtick === "number" && xs.dtick > 0 && xa.kind === "linear") {
      const d = xs.dtick;
      const t0 = typeof xs.tick0 === "number" ? xs.tick0 : 0;
      xTickValues.length = 0;
      for (let t = t0 + Math.ceil((xa.min - t0) / d) * d; t <= xa.max + 1e-9; t += d) xTickValues.push(t);
    }
    if (xs.tickformat === "d") for (let i = xTickValues.length - 1; i >= 0; i--) if (!Number.isInteger(xTickValues[i])) xTickValues.splice(i, 1);
    const skip = Math.max(1, Math.ceil(xTickValues.length / 12));
    xTickValues.forEach((t, i) => {
      if (i % skip !== 0) return;
      out.push(`<text x="${sx(t)}" y="${py1 + 16}" text-anchor="middle" font-size="11" fill="#444">${escapeXml(tickLabel(t, xa))}</text>`);
    });
    out.push(`<line x1="${px0}" x2="${px1}" y1="${py1}" y2="${py1}" stroke="#444"/><line x1="${px0}" x2="${px0}" y1="${py0}" y2="${py1}" stroke="#444"/>`);
    const xTitle = titleText(xs.title);
    const yTitle = titleText(ys.title);
    if (xTitle) out.push(`<text x="${(px0 + px1) / 2}" y="${py1 + 36}" text-anchor="middle" font-size="12">${escapeXml(xTitle)}</text>`);
    if (yTitle) {
      const cy = (py0 + py1) / 2;
      out.push(`<text x="${px0 - 52}" y="${cy}" text-anchor="middle" font-size="12" transform="rotate(-90 ${px0 - 52} ${cy})">${escapeXml(yTitle)}</text>`);
    }

    // Heatmap cells.
    if (heat) {
      const z = arr(heat.z).map((row) => arr(row).map((v) => (typeof v === "number" ? v : NaN)));
      const flat = z.flat().filter(Number.isFinite);
      const zmax = Math.max(...flat, 1e-12);
      const zmin = Math.min(...flat, 0);
      const cw = Math.abs(sx(1) - sx(0));
      const ch = Math.abs(sy(1) - sy(0));
      const text = arr(heat.text);
      z.forEach((row, r) =>
        row.forEach((v, c) => {
          const t = (v - zmin) / (zmax - zmin || 1);
          const cx = sx(c);
          const cy = sy(r);
          out.push(`<rect x="${cx - cw / 2}" y="${cy - ch / 2}" width="${cw}" height="${ch}" fill="${heatColor(t)}" stroke="#fff"/>`);
          const label = arr(text[r])[c] ?? (Number.isFinite(v) ? fmt(v) : "");
          out.push(`<text x="${cx}" y="${cy + 4}" text-anchor="middle" font-size="12" fill="${t > 0.55 ? "#fff" : "#222"}">${escapeXml(String(label))}</text>`);
        }),
      );
    }

    // Bars (grouped) and lines/markers.
    const bars = group.filter((t) => t.type === "bar");
    const slot = 0.8 / Math.max(bars.length, 1);
    for (const t of group) {
      if (t.type === "heatmap") continue;
      const marker = (t.marker ?? {}) as Trace;
      const line = (t.line ?? {}) as Trace;
      const color = String(line.color ?? (typeof marker.color === "string" ? marker.color : undefined) ?? PALETTE[colorIndex % PALETTE.length]);
      colorIndex++;
      if (typeof t.name === "string" && t.showlegend !== false) legend.push({ name: t.name, color });
      const y = arr(t.y);
      const x = Array.isArray(t.x) ? t.x : y.map((_, i) => i);
      if (t.type === "bar") {
        const bi = bars.indexOf(t);
        const base = sy(Math.max(Math.min(0, Math.max(ya.min, ya.max)), Math.min(ya.min, ya.max)));
        const xs = x.map((xv) => toNum(xv, xa)).filter((v): v is number => v !== null).sort((a, b) => a - b);
        let step = Infinity;
        for (let i = 1; i < xs.length; i++) {
          const d = xs[i]! - xs[i - 1]!;
          if (d > 0 && d < step) step = d;
        }
        if (!Number.isFinite(step)) step = 1;
        const colors = Array.isArray(marker.color) ? marker.color : undefined;
        const widths = Array.isArray(t.width) ? t.width : undefined;
        x.forEach((xv, i) => {
          const xn = toNum(xv, xa);
          const yv = y[i];
          if (xn === null || typeof yv !== "number" || !Number.isFinite(yv)) return;
          const full = typeof widths?.[i] === "number" ? Math.abs(sx(widths[i] as number) - sx(0)) : Math.abs(sx(step) - sx(0));
          const w = typeof widths?.[i] === "number" ? full : slot * full;
          const left = typeof widths?.[i] === "number" ? sx(xn) - w / 2 : sx(xn) - 0.4 * full + bi * w;
          const top = Math.min(sy(yv), base);
          const fill = typeof colors?.[i] === "string" ? (colors[i] as string) : color;
          out.push(`<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" height="${Math.abs(base - sy(yv)).toFixed(1)}" fill="${fill}" stroke="#fff" stroke-width="0.5"/>`);
        });
        continue;
      }
      const mode = String(t.mode ?? (y.length > 20 ? "lines" : "lines+markers"));
      const dash = line.dash === "dash" ? ' stroke-dasharray="6 4"' : line.dash === "dot" ? ' stroke-dasharray="2 3"' : "";
      const points: Array<[number, number] | null> = x.map((xv, i) => {
        const xn = toNum(xv, xa);
        const yv = y[i];
        return xn === null || typeof yv !== "number" || !Number.isFinite(yv) ? null : [sx(xn), sy(yv)];
      });
      if (mode.includes("lines")) {
        let run: string[] = [];
        const flush = () => {
          if (run.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${run.join(" ")}"/>`);
          run = [];
        };
        for (const p of points) {
          if (p) run.push(`${p[0].toFixed(1)},${p[1].toFixed(1)}`);
          else flush();
        }
        flush();
      }
      if (mode.includes("markers")) {
        for (const p of points) if (p) out.push(`<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3" fill="${color}"/>`);
      }
    }
  }

  // Paper-anchored annotations (subplot titles) and shapes are drawn as plain text.
  for (const a of arr(layout.annotations) as Layout[]) {
    if (a.xref !== "paper" || a.yref !== "paper" || typeof a.text !== "string") continue;
    const x = m.l + Number(a.x ?? 0.5) * plotW;
    const y = m.t + (1 - Number(a.y ?? 1)) * plotH - 6;
    out.push(`<text x="${x}" y="${y}" text-anchor="middle" font-size="13">${escapeXml(a.text.replace(/<[^>]+>/g, ""))}</text>`);
  }
  if (legend.length > 1 || (legend.length === 1 && layout.showlegend === true)) {
    let lx = m.l;
    for (const item of legend) {
      out.push(`<rect x="${lx}" y="${legendY}" width="14" height="4" fill="${item.color}"/>`);
      out.push(`<text x="${lx + 18}" y="${legendY + 6}" font-size="11">${escapeXml(item.name)}</text>`);
      lx += 30 + item.name.length * 6.5;
    }
  }
  out.push("</svg>");
  return out.join("");
}
