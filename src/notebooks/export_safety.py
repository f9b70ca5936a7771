"""Making an exported notebook safe to open: untrusted HTML is sanitized, no notebook script runs.

A notebook's outputs and markdown are written by whoever ran it (a student's submission, a
downloaded notebook). Unless the export is marked trusted, seqlab's HTML export:

- sanitizes HTML in `text/html` and `text/markdown` outputs, markdown cells and raw cells with
  nh3 (the ammonia sanitizer): an allowlist of tags and attributes, so no `<script>`, no event
  handlers (`onerror`, `onload`, ...), no `javascript:`/`vbscript:` URLs, no `<iframe>`,
  `<object>`, `<embed>`, `<base>`, `<form>`, `<meta>`, `<style>` or inline `<svg>`;
  images only from `data:image/*` URLs (an untrusted export loads nothing from the network:
  no tracking pixel, no remote stylesheet); links only to http(s), mailto and in-page anchors;
  `style` attributes keep only presentational properties (no `url()`, no positioning);
- drops `application/javascript` (and other script) outputs and ipywidgets state, which would
  run script or load it from a CDN;
- draws `image/svg+xml` outputs only as `<img>` (a browser runs no script in an image);
- rebuilds the HTML of Plotly and Vega outputs from their JSON (any HTML the notebook carries
  for them is discarded), embedding the JSON so that no string in it can close the `<script>`;
- keeps image width/height metadata only when numeric, and escapes Mermaid sources.

`clean_html` and `SafeExport` are meant for any page showing a notebook: the graded feedback
page reuses them through `export_html(nb, job)` in execute_notebooks.py.
"""
import base64
import html
import json
import re
import secrets

import nh3
from nbconvert.preprocessors import Preprocessor

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# Vega and Vega-Lite types JupyterLab 4 renders natively; the export draws them with vega-embed.
VEGA_MIMES = {
    "application/vnd.vega.v5+json": "vega",
    "application/vnd.vegalite.v5+json": "vega-lite",
    "application/vnd.vegalite.v4+json": "vega-lite",
    "application/vnd.vegalite.v3+json": "vega-lite",
}
# Output types an untrusted export shows. The others (application/javascript, text/javascript,
# ipywidgets views, unknown types) are dropped; text/plain is always there to fall back on.
SAFE_OUTPUT_MIMES = {
    "text/plain", "text/html", "text/markdown", "text/latex", "text/vnd.mermaid",
    "image/png", "image/jpeg", "image/gif", "image/svg+xml", "application/json", PLOTLY_MIME, *VEGA_MIMES,
}

# Tags and attributes kept in untrusted HTML: nh3's defaults (text, lists, tables, images,
# links) plus what notebooks' own HTML uses (classes, ids for anchors, table borders).
TAGS = set(nh3.ALLOWED_TAGS) | {"tfoot"}
ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir", "style"}
ATTRIBUTES.setdefault("table", set()).update({"border", "cellpadding", "cellspacing"})
ATTRIBUTES.setdefault("a", set()).update({"name"})
ATTRIBUTES.setdefault("details", set()).update({"open"})
# Presentational CSS only: nothing that positions content over the page or loads a URL.
STYLE_PROPERTIES = {
    "color", "background-color", "font-weight", "font-style", "font-size", "font-family", "font-variant",
    "text-align", "text-decoration", "text-transform", "vertical-align", "white-space", "word-break",
    "border", "border-top", "border-bottom", "border-left", "border-right", "border-color", "border-style",
    "border-width", "border-collapse", "border-spacing", "padding", "padding-top", "padding-bottom",
    "padding-left", "padding-right", "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
    "width", "height", "max-width", "max-height", "min-width", "min-height", "display", "line-height",
    "list-style-type", "opacity", "overflow", "overflow-x", "overflow-y",
}
URL_SCHEMES = {"http", "https", "mailto", "data"}
URL_ATTRIBUTES = {"href", "src", "cite", "longdesc", "action", "formaction", "poster", "background"}
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp|bmp|svg\+xml)[;,]", re.IGNORECASE)


def _attribute_filter(tag, attribute, value):
    """Images only from `data:image/*`; other `data:` URLs nowhere (nh3 has checked the schemes already)."""
    if tag == "img" and attribute == "src":
        return value if DATA_IMAGE.match(value.strip()) else None
    if attribute in URL_ATTRIBUTES and value.strip().lower().startswith("data:"):
        return None
    return value


def clean_html(source):
    """Sanitized HTML: an allowlist of tags, attributes, URL schemes and CSS properties (see module doc).

    Accepts a string (or nbformat's list of lines); text content is kept, unsafe markup removed.
    """
    if isinstance(source, (list, tuple)):
        source = "".join(source)
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    return nh3.clean(
        str(source),
        tags=TAGS,
        clean_content_tags={"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math"},
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )


def script_json(value):
    """JSON to embed inside a `<script>`: `<`, `>`, `&` and U+2028/9 escaped, so no string closes the tag."""
    text = json.dumps(value, allow_nan=True)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _joined(value):
    return "".join(value) if isinstance(value, list) else value


def _json_value(value):
    return json.loads(value) if isinstance(value, str) else value


def _svg_img(svg, alt):
    """A static SVG as an `<img>` (no script in it can run), or None."""
    if not svg:
        return None
    data = base64.b64encode(_joined(svg).encode("utf-8")).decode("ascii")
    return '<img alt="%s" src="data:image/svg+xml;base64,%s">' % (html.escape(alt), data)


def plotly_html(fig, div_id, static_svg=None):
    """The HTML drawing a Plotly figure with the page's plotly.js (static picture or note until it draws)."""
    fig = _json_value(fig) or {}
    payload = script_json({"data": fig.get("data", []), "layout": fig.get("layout", {}),
                           "config": fig.get("config", {"responsive": True})})
    fallback = _svg_img(static_svg, "Plot") or "<p>Interactive plot: open the notebook in JupyterLab to see it.</p>"
    return ('<div id="%s" class="seqlab-plotly">%s</div><script type="text/javascript">(function(){var f=%s;'
            'var el=document.getElementById("%s");if(window.Plotly&&el){el.innerHTML="";'
            'window.Plotly.newPlot(el,f.data,f.layout,f.config);}})();</script>' % (div_id, fallback, payload, div_id))


def vega_html(spec, mode, div_id):
    """The HTML drawing a Vega / Vega-Lite spec with the page's vega-embed (a note until it draws)."""
    payload = script_json(_json_value(spec))
    return ('<div id="%s" class="seqlab-vega"><p>Vega chart: open in JupyterLab to see it.</p></div>'
            '<script type="text/javascript">(function(){var s=%s;var el=document.getElementById("%s");'
            'if(window.vegaEmbed&&el){el.innerHTML="";window.vegaEmbed(el,s,{mode:"%s",actions:false,renderer:"svg"})'
            '.catch(function(e){el.textContent="Vega chart failed to draw: "+e;});}})();</script>'
            % (div_id, payload, div_id, mode))


def new_token():
    """A per-export secret marking the HTML the exporter itself wrote (a notebook cannot guess it)."""
    return secrets.token_hex(16)


def _numeric(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) or (
        isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()) is not None)


class SafeExport(Preprocessor):
    """Prepares an untrusted notebook for the seqlab template (with `sanitize_html` on).

    The template cleans markdown, text/html, text/markdown and raw cells with `clean_html`,
    except outputs whose metadata carries `resources["seqlab_token"]`: the Plotly and Vega HTML
    rebuilt here.
    """

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)  # ipywidgets state: would load the widget manager from a CDN
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        for n, output in enumerate(cell.get("outputs", [])):
            output.pop("svg_filename", None)
            metadata = output.get("metadata")
            if isinstance(metadata, dict):
                metadata.pop("seqlab_export", None)
                metadata.pop("filenames", None)
                for key, value in list(metadata.items()):
                    if isinstance(value, dict):
                        for dim in ("width", "height"):
                            if dim in value and not _numeric(value[dim]):
                                del value[dim]
            data = output.get("data")
            if not data:
                continue
            for mime in [m for m in data if m not in SAFE_OUTPUT_MIMES]:
                del data[mime]
            if not data:
                data["text/plain"] = "(output removed from this export: it would run script)"
            div = "seqlab-out-%d-%d" % (index, n)
            rebuilt = None
            if PLOTLY_MIME in data:
                rebuilt = plotly_html(data[PLOTLY_MIME], div, data.get("image/svg+xml"))
            else:
                mime = next((m for m in VEGA_MIMES if m in data), None)
                if mime is not None:
                    rebuilt = vega_html(data[mime], VEGA_MIMES[mime], div)
            if rebuilt is not None:
                data["text/html"] = rebuilt
                output.setdefault("metadata", {})["seqlab_export"] = resources["seqlab_token"]
        return cell, resources
