/**
 * The browser side of seqlab's JupyterLab extension: a renderer for Plotly figures
 * (`application/vnd.plotly.v1+json`) that redraws when the kernel updates a display.
 *
 * Why it exists: JupyterLab applies `update_display_data` by calling `renderModel(newModel)`
 * on the renderer already showing the output (OutputArea `_setOutput` reuses a renderer
 * whose preferred MIME type is unchanged). The renderer shipped in plotly's wheel returns
 * early from `renderModel` once a graph exists (plotly.py issue 3053), so live figures stay
 * at their first frame. This renderer draws every model it is given with `Plotly.react`,
 * coalescing updates that arrive while a draw is running (only the newest is drawn), and
 * never writes into the output model, so the saved notebook holds exactly what the kernel
 * sent last.
 *
 * How it loads, without webpack: this file is the extension's `remoteEntry` script, as
 * JupyterLab's federated-extension loader expects one. The page runs it with a script tag,
 * then calls `window._JUPYTERLAB[name].init(shareScope)` with the page's shared modules and
 * `get("./mimeExtension")`, whose factory returns the module (`default`: the mime extension
 * list). Lumino's `Widget` comes from the shared scope (the page's own copy, a singleton);
 * plotly.js is `plotly.min.js` from `plotly.js-dist-min`, loaded next to this file on first
 * use. `seqlab setup` copies both into `.venv/share/jupyter/labextensions/` (see
 * `src/setup/labextension.ts`). The extension's `package.json` disables the plotly wheel's
 * renderer (`disabledExtensions`), so exactly one renderer owns the MIME type.
 *
 * This file is a plain browser script (no imports or exports): TypeScript emits it as is.
 *
 * @module
 */
(() => {
  /** The package name JupyterLab knows the extension by (its folder under labextensions/). */
  const NAME = "seqlab-plotly-renderer";
  const MIME = "application/vnd.plotly.v1+json";

  /** The part of plotly.js used here. */
  interface PlotlyApi {
    react(node: HTMLElement, data: unknown[], layout: Record<string, unknown>, config: Record<string, unknown>): Promise<unknown>;
    addFrames(node: HTMLElement, frames: unknown[]): Promise<unknown>;
    purge(node: HTMLElement): void;
    Plots: { resize(node: HTMLElement): Promise<unknown> | void };
  }

  /** What JupyterLab passes to `renderModel`: the output's MIME bundle. */
  interface MimeModelLike {
    data: Record<string, unknown>;
    metadata?: Record<string, unknown>;
    trusted?: boolean;
  }

  /** The part of Lumino's `Widget` this renderer uses. */
  interface WidgetLike {
    readonly node: HTMLElement;
    readonly isAttached: boolean;
    readonly isVisible: boolean;
    readonly isDisposed: boolean;
    addClass(name: string): void;
    dispose(): void;
  }
  type WidgetClass = new (options?: Record<string, unknown>) => WidgetLike;

  /** One entry of a webpack/rspack share scope: `scope[package][version]`. */
  interface SharedEntry {
    get?: () => Promise<unknown> | unknown;
    lib?: () => unknown;
    loaded?: unknown;
  }
  type ShareScope = Record<string, Record<string, SharedEntry> | undefined>;

  /** Where this script was loaded from: plotly.min.js sits next to it. */
  const here = (document.currentScript as HTMLScriptElement | null)?.src ?? "";
  /** plotly.js' version, filled in by `seqlab setup` when it installs this file (a cache key). */
  const PLOTLY_VERSION: string = "__PLOTLY_VERSION__";
  let shareScope: ShareScope = {};
  let plotlyPromise: Promise<PlotlyApi> | undefined;

  function staticUrl(file: string): string {
    if (here) return new URL(file, here).href;
    const config = document.getElementById("jupyter-config-data");
    const options = JSON.parse(config?.textContent || "{}") as { fullLabextensionsUrl?: string };
    return `${options.fullLabextensionsUrl ?? "/lab/extensions"}/${NAME}/static/${file}`;
  }

  /** Loads plotly.js once (a classic script setting `window.Plotly`). */
  function loadPlotly(): Promise<PlotlyApi> {
    plotlyPromise ??= new Promise<PlotlyApi>((resolve, reject) => {
      const script = document.createElement("script");
      const url = staticUrl(`plotly.min.js?v=${encodeURIComponent(String(PLOTLY_VERSION))}`);
      script.async = true;
      script.src = url;
      script.onload = () => {
        const plotly = (window as unknown as { Plotly?: PlotlyApi }).Plotly;
        if (plotly && typeof plotly.react === "function") resolve(plotly);
        else reject(new Error(`${url} loaded but defined no window.Plotly`));
      };
      script.onerror = () => reject(new Error(`could not load plotly.js from ${url}: run \`npm install\` (or \`npm run seqlab -- setup\`) again`));
      document.head.appendChild(script);
    });
    plotlyPromise.catch(() => (plotlyPromise = undefined));
    return plotlyPromise;
  }

  /** The page's Lumino widgets module, from the share scope JupyterLab gave `init`. */
  async function sharedModule(name: string): Promise<Record<string, unknown>> {
    const versions = shareScope[name];
    if (!versions) throw new Error(`${NAME}: JupyterLab shares no "${name}"`);
    const entries = Object.entries(versions);
    const major = (v: string): number => Number(v.split(".")[0]) || 0;
    entries.sort(([a, ea], [b, eb]) => Number(Boolean(eb.loaded)) - Number(Boolean(ea.loaded)) || major(b) - major(a) || b.localeCompare(a));
    const entry = entries[0]?.[1];
    if (!entry) throw new Error(`${NAME}: JupyterLab shares no version of "${name}"`);
    let factory: unknown = entry.get ? await entry.get() : entry.lib;
    if (typeof factory === "function") factory = (factory as () => unknown)();
    return factory as Record<string, unknown>;
  }

  function makeRendererClass(Widget: WidgetClass): new (options: { mimeType: string }) => WidgetLike {
    class RenderedPlotly extends Widget {
      private readonly mimeType: string;
      private pending: MimeModelLike | undefined;
      private drawing: Promise<void> | undefined;
      private drawn = false;
      private plotly: PlotlyApi | undefined;

      constructor(options: { mimeType: string }) {
        super();
        this.mimeType = options.mimeType;
        this.addClass("jp-RenderedPlotly");
        this.addClass("seqlab-RenderedPlotly");
      }

      /** Draws `model`; while a draw runs, only the newest model waiting is drawn next. */
      renderModel(model: MimeModelLike): Promise<void> {
        this.pending = model;
        this.drawing ??= this.drawPending().finally(() => (this.drawing = undefined));
        return this.drawing;
      }

      private async drawPending(): Promise<void> {
        while (this.pending && !this.isDisposed) {
          const model = this.pending;
          this.pending = undefined;
          try {
            this.plotly ??= await loadPlotly();
            if (this.isDisposed) return;
            await this.draw(this.plotly, model);
          } catch (err) {
            this.showError(err);
          }
        }
      }

      private async draw(plotly: PlotlyApi, model: MimeModelLike): Promise<void> {
        const fig = model.data[this.mimeType] as { data?: unknown; layout?: unknown; config?: unknown; frames?: unknown } | undefined;
        if (!fig || typeof fig !== "object" || !Array.isArray(fig.data)) {
          throw new Error(`the output's ${this.mimeType} is not a Plotly figure {data: [...], layout}`);
        }
        const layout = { ...((fig.layout as Record<string, unknown> | undefined) ?? {}) };
        layout.height ??= 360;
        const config = { ...((fig.config as Record<string, unknown> | undefined) ?? {}) };
        this.node.querySelector(":scope > .seqlab-plotly-error")?.remove();
        await plotly.react(this.node, fig.data, layout, config);
        if (Array.isArray(fig.frames) && fig.frames.length > 0) await plotly.addFrames(this.node, fig.frames);
        this.drawn = true;
      }

      private showError(err: unknown): void {
        console.error(`${NAME}:`, err);
        const pre = document.createElement("pre");
        pre.className = "seqlab-plotly-error";
        pre.textContent = `Plotly figure could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
        this.node.querySelector(":scope > .seqlab-plotly-error")?.remove();
        this.node.appendChild(pre);
      }

      private resize(): void {
        if (this.drawn && this.plotly && this.isAttached && this.isVisible && this.node.offsetWidth > 0) void this.plotly.Plots.resize(this.node);
      }

      protected onAfterAttach(): void {
        this.resize();
      }

      protected onAfterShow(): void {
        this.resize();
      }

      protected onResize(): void {
        this.resize();
      }

      override dispose(): void {
        if (this.isDisposed) return;
        if (this.drawn && this.plotly) this.plotly.purge(this.node);
        super.dispose();
      }
    }
    return RenderedPlotly;
  }

  async function mimeExtensionModule(): Promise<Record<string, unknown>> {
    const widgets = await sharedModule("@lumino/widgets");
    const Widget = widgets.Widget as WidgetClass | undefined;
    if (typeof Widget !== "function") throw new Error(`${NAME}: @lumino/widgets has no Widget`);
    const RenderedPlotly = makeRendererClass(Widget);
    const extension = {
      id: `${NAME}:factory`,
      description: "Plotly figures that redraw on update_display_data (seqlab).",
      rendererFactory: { safe: true, mimeTypes: [MIME], defaultRank: 2, createRenderer: (options: { mimeType: string }) => new RenderedPlotly(options) },
      rank: 2,
      dataType: "json",
      fileTypes: [{ name: "plotly", mimeTypes: [MIME], extensions: [".plotly", ".plotly.json"] }],
      documentWidgetFactoryOptions: { name: "Plotly", primaryFileType: "plotly", fileTypes: ["plotly", "json"], defaultFor: ["plotly"] },
    };
    return { __esModule: true, default: [extension] };
  }

  const containers = ((window as unknown as { _JUPYTERLAB?: Record<string, unknown> })._JUPYTERLAB ??= {});
  containers[NAME] = {
    init(scope: ShareScope): void {
      shareScope = scope ?? {};
    },
    async get(module: string): Promise<() => Record<string, unknown>> {
      if (module !== "./mimeExtension" && module !== "./index") throw new Error(`Module "${module}" does not exist in container ${NAME}.`);
      const exports = await mimeExtensionModule();
      // Fetch and parse plotly.js while JupyterLab starts, not when the first figure (maybe a
      // live one, mid-fit) arrives; a failure is reported again, on the figure, at first use.
      setTimeout(() => void loadPlotly().catch(() => undefined), 0);
      return () => exports;
    },
  };
})();
