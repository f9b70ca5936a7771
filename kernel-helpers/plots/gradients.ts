/**
 * `plots.gradientNorms`: how gradient size changes with distance in time (vanishing gradients).
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from "../errors";
import type { PlotlyFigure } from "../display/plotly";
import { COLORS, epochStep, numberArray, type Obj } from "./_common";

/** Options of {@link gradientNormsPlot}. */
export interface GradientNormsPlotOptions {
  /** Figure title. @default "Gradient norm by time step" */
  title?: string;
  /** x-axis label. @default "time steps before the output" */
  xLabel?: string;
  /** Logarithmic y axis (vanishing gradients span orders of magnitude). @default true */
  logScale?: boolean;
}

/**
 * Plots gradient norms, one line per model or layer: for the vanishing-gradient lesson, the
 * norm of ∂loss/∂x_t (or ∂loss/∂h_t) for each time step t, with t counted back from the
 * output, so a SimpleRNN's curve falling by orders of magnitude shows next to an LSTM's
 * staying flat. Norms must be ≥ 0; on a log axis, zeros are drawn as gaps.
 *
 * @param norms Series name → norms per step, e.g. `{SimpleRNN: [...], LSTM: [...]}`.
 * @param options Title, x label, log scale.
 * @returns A Plotly figure.
 * @throws {InvalidArgumentError} When `norms` is empty.
 * @throws {DataError} When a norm is negative or not finite.
 * @example
 * ```ts
 * show(plots.gradientNorms({ SimpleRNN: [1, 0.1, 0.01], LSTM: [1, 0.8, 0.7] }));
 * ```
 */
export function gradientNormsPlot(norms: Record<string, ArrayLike<number>>, options: GradientNormsPlotOptions = {}): PlotlyFigure {
  if (typeof norms !== "object" || norms === null || Array.isArray(norms) || Object.keys(norms).length === 0) {
    throw new InvalidArgumentError(`\`norms\` must be a non-empty record {name: norms per time step}. Received: norms=${describeValue(norms)}`);
  }
  const logScale = options.logScale ?? true;
  const longest = Math.max(...Object.values(norms).map((v) => (v && typeof v.length === "number" ? v.length : 0)));
  const data: Obj[] = Object.entries(norms).map(([name, values], i) => {
    const y = numberArray(values, `norms.${name}`).map((v, t) => {
      if (v! < 0) throw new InvalidArgumentError(`\`norms.${name}[${t}]\` must be ≥ 0 (a norm). Received: ${v}`);
      return logScale && v === 0 ? null : v;
    });
    return {
      type: "scatter",
      mode: y.length > 40 ? "lines" : "lines+markers",
      name,
      x: y.map((_, t) => t),
      y,
      line: { color: COLORS[i % COLORS.length] },
      hovertemplate: `${name}<br>%{x} steps back<br>norm %{y:.3g}<extra></extra>`,
    };
  });
  return {
    data,
    layout: {
      title: { text: options.title ?? "Gradient norm by time step" },
      xaxis: { title: { text: options.xLabel ?? "time steps before the output" }, tick0: 0, dtick: epochStep(longest) },
      yaxis: { title: { text: "gradient norm (L2)" }, type: logScale ? "log" : "linear", exponentformat: "power" },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      showlegend: true,
      height: 420,
    },
  };
}
