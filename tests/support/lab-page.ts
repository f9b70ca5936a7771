/**
 * Driving a notebook in JupyterLab from a browser test: open it, run it, restart or
 * interrupt its kernel as a user would, and sample what its outputs show over time.
 *
 * @module
 */
import type { Page } from "playwright-core";
import type { RunningLab } from "./jupyterlab";

/** The notebook in the main area's current tab (other open notebooks stay in the DOM, hidden). */
export const CURRENT_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook";

/** What one output cell shows at one moment. */
export interface OutputSample {
  /** Milliseconds since sampling started. */
  t: number;
  /** Whether any cell is still running or queued (a `[*]` prompt). */
  running: boolean;
  /** For each rendered Plotly figure in the cell: points of its first trace. */
  points: number[];
  /** For each rendered Plotly figure in the cell: its title (plotly's layout, as drawn). */
  titles: string[];
  /** Text of the cell's stdout/stderr and text/plain outputs. */
  text: string;
  /** Rows of the first HTML table body in the cell. */
  tableRows: number;
}

/**
 * Opens `notebook` in the lab and waits until its kernel is connected and idle.
 *
 * @param page The browser page.
 * @param lab The running JupyterLab.
 * @param notebook The notebook's path relative to the lab's root.
 */
export async function openNotebook(page: Page, lab: RunningLab, notebook: string): Promise<void> {
  await page.goto(`${lab.baseUrl}/lab/tree/${notebook}?token=${lab.token}`);
  await page.waitForSelector(CURRENT_NOTEBOOK, { timeout: 60_000 });
  await waitForKernel(page, notebook);
}

/**
 * Waits until the current notebook is `notebook` and its kernel is connected and idle.
 *
 * @param page The browser page.
 * @param notebook The notebook's path relative to the lab's root.
 */
export async function waitForKernel(page: Page, notebook: string): Promise<void> {
  await page.waitForFunction(
    (name) => {
      type Panel = { context?: { path?: string; isReady?: boolean }; sessionContext?: { session?: { kernel?: { connectionStatus?: string; status?: string } } } };
      const app = (window as unknown as { jupyterapp?: { shell: { currentWidget: unknown } } }).jupyterapp;
      const panel = app?.shell.currentWidget as Panel | undefined;
      const kernel = panel?.sessionContext?.session?.kernel;
      return panel?.context?.path === name && panel.context.isReady === true && kernel?.connectionStatus === "connected" && kernel.status === "idle";
    },
    notebook,
    { timeout: 180_000, polling: 250 },
  );
}

/**
 * Runs a JupyterLab command by id (what a menu item or toolbar button runs), without
 * waiting for what it starts (a run, a dialog) to finish.
 *
 * @param page The browser page.
 * @param id E.g. `"notebook:run-all-cells"`.
 */
export async function runCommand(page: Page, id: string): Promise<void> {
  await page.evaluate((command) => {
    const app = (window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }).jupyterapp;
    void app.commands.execute(command);
  }, id);
}

/** Reads, in the page, what cell `index` of the current notebook shows (see {@link OutputSample}). */
function readCellInPage([index, nb]: readonly [number, string]): Omit<OutputSample, "t"> {
  type Trace = { x?: ArrayLike<unknown>; y?: ArrayLike<unknown> };
  type Gd = HTMLElement & { data?: Trace[]; layout?: { title?: { text?: string } | string } };
  const cell = document.querySelectorAll(`${nb} .jp-Cell`)[index];
  const figures = Array.from(cell?.querySelectorAll(".js-plotly-plot") ?? []) as Gd[];
  const texts = Array.from(cell?.querySelectorAll(".jp-OutputArea-output.jp-RenderedText") ?? []).map((e) => (e as HTMLElement).innerText);
  const title = (g: Gd): string => (typeof g.layout?.title === "string" ? g.layout.title : (g.layout?.title?.text ?? ""));
  return {
    running: Array.from(document.querySelectorAll(`${nb} .jp-InputPrompt`)).some((p) => (p.textContent ?? "").includes("*")),
    points: figures.map((g) => (g.data?.[0]?.x ?? g.data?.[0]?.y ?? []).length),
    titles: figures.map(title),
    text: texts.join("\n"),
    tableRows: cell?.querySelector(".jp-RenderedHTMLCommon table tbody")?.querySelectorAll("tr").length ?? 0,
  };
}

/**
 * Reads what cell `cellIndex` of the current notebook shows now.
 *
 * @param page The browser page.
 * @param cellIndex 0-based cell index.
 * @returns The sample (`t` = 0).
 */
export async function sampleCell(page: Page, cellIndex: number): Promise<OutputSample> {
  return { t: 0, ...(await page.evaluate(readCellInPage, [cellIndex, CURRENT_NOTEBOOK] as const)) };
}

/**
 * Samples cell `cellIndex` every `everyMs` inside the page (a timer there, so a busy test
 * process cannot stretch the interval) until no cell runs, or `timeoutMs`. The test side
 * collects the samples every 250 ms and calls `onSample` with each new one (e.g. to take a
 * screenshot or press stop).
 *
 * @param page The browser page.
 * @param cellIndex 0-based cell index.
 * @param options Interval, timeout, callback.
 * @returns Every sample, in order; the last one is taken after the run ended.
 */
export async function sampleWhileRunning(
  page: Page,
  cellIndex: number,
  options: { everyMs?: number; timeoutMs?: number; onSample?: (s: OutputSample, all: OutputSample[]) => Promise<void> } = {},
): Promise<OutputSample[]> {
  const every = options.everyMs ?? 100;
  await page.evaluate(
    ([src, index, nb, ms]) => {
      const read = new Function(`return (${src})`)() as (a: readonly [number, string]) => Record<string, unknown>;
      const w = window as unknown as { __seqlabSamples: unknown[]; __seqlabSampler?: number };
      if (w.__seqlabSampler !== undefined) clearInterval(w.__seqlabSampler);
      w.__seqlabSamples = [];
      const t0 = performance.now();
      const tick = (): void => void w.__seqlabSamples.push({ t: Math.round(performance.now() - t0), ...read([index, nb]) });
      tick();
      w.__seqlabSampler = window.setInterval(tick, ms);
    },
    [readCellInPage.toString(), cellIndex, CURRENT_NOTEBOOK, every] as const,
  );
  const samples: OutputSample[] = [];
  const started = Date.now();
  let sawRunning = false;
  try {
    for (;;) {
      const fresh = await page.evaluate((from) => (window as unknown as { __seqlabSamples: OutputSample[] }).__seqlabSamples.slice(from), samples.length);
      for (const s of fresh) {
        samples.push(s);
        sawRunning ||= s.running;
        await options.onSample?.(s, samples);
        if (sawRunning && !s.running) return samples;
      }
      if (Date.now() - started > (options.timeoutMs ?? 300_000)) throw new Error(`the notebook still runs after ${Date.now() - started} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await page.evaluate(() => clearInterval((window as unknown as { __seqlabSampler?: number }).__seqlabSampler)).catch(() => undefined);
  }
}

/**
 * How many times a value grew between consecutive samples taken while the cell ran.
 *
 * @param samples The samples.
 * @param value What to compare.
 * @returns The number of increases.
 */
export function growthsWhileRunning(samples: OutputSample[], value: (s: OutputSample) => number): number {
  let growths = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.running && value(samples[i]!) > value(samples[i - 1]!)) growths++;
  }
  return growths;
}
