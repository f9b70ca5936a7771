"""Long text outputs in the HTML export: bounded in size, converted in linear time.

A page shows at most `MAX_LINES` lines (and `MAX_CHARS` characters) of one text output: the
first and last halves, with a line in between saying how many lines and megabytes were left out
and that the notebook (.ipynb) holds all of it. (nbconvert re-parses the whole page to add
image alt texts; a 10 MB coloured log made that take minutes and gigabytes.)

nbconvert's `ansi2html` slices the rest of the text after every escape sequence, so a coloured
training log takes time quadratic in its length (about 20 s for 40,000 coloured lines, many
minutes for a 10 MB log). `ansi2html_linear` converts the text in pieces of whole lines, starting
each piece with the colour codes still in force, so the page shows the same text in the same
colours.
"""
import re

from nbconvert.filters.ansi import ansi2html
from nbconvert.preprocessors import Preprocessor

# nbconvert's own pattern for escape sequences (ansi.py); SGR (colour) ones end with "m".
ESCAPE = re.compile("\x1b\\[(.*?)([@-~])")
PIECE = 64 * 1024
MAX_LINES = 10_000
MAX_CHARS = 1_000_000


def active_codes(text, codes=""):
    """The colour (SGR) codes in force at the end of `text`, given those in force at its start.

    SGR codes assign attributes, so only the last occurrence of each code since the last reset
    matters: the result stays short however long the text.
    """
    found = ESCAPE.findall(codes) if codes else []
    for m in ESCAPE.finditer(text):
        if m.group(2) != "m":
            continue
        if m.group(1).split(";")[0] in ("", "0"):
            found = [(m.group(1), "m")]  # a reset first: nothing before it matters
        else:
            params = (m.group(1), "m")
            if params in found:
                found.remove(params)
            found.append(params)
    return "".join("\x1b[%sm" % p for p, _ in found)


def ansi2html_linear(text, piece=PIECE):
    """HTML of `text` with ANSI colours, as nbconvert's `ansi2html`, converted piece by piece."""
    if text is None or len(text) <= piece:
        return ansi2html(text)
    out = []
    active = ""  # the colour codes in force where the next piece starts
    start = 0
    while start < len(text):
        newline = text.find("\n", start + piece)
        end = len(text) if newline < 0 else newline + 1
        chunk = text[start:end]
        out.append(ansi2html(active + chunk))
        active = active_codes(chunk, active)
        start = end
    return "".join(out)


def shorten(text, max_lines=MAX_LINES, max_chars=MAX_CHARS):
    """`text` itself when within the limits, else its first and last parts with a line saying what was left out."""
    if text is None or (len(text) <= max_chars and text.count("\n") < max_lines):
        return text
    lines = text.splitlines(keepends=True)
    keep = max(1, max_lines // 2)
    if len(lines) > 2 * keep:  # too many lines: the first and last `keep`, each part within max_chars / 2
        head_text = "".join(lines[:keep])[: max_chars // 2]
        tail_text = "".join(lines[-keep:])[-(max_chars // 2):]
    else:  # too many characters
        head_text, tail_text = text[: max_chars // 2], text[-(max_chars // 2):]
    if len(head_text) + len(tail_text) > len(text):  # the parts overlap: keep the head, cut the tail
        tail_text = tail_text[len(head_text) + len(tail_text) - len(text):]
    middle = text[len(head_text): len(text) - len(tail_text)]
    if not middle:
        return text
    n = middle.count("\n")
    note = ("[... %s line%s (%s characters) not shown in this page; the notebook (.ipynb) holds the whole output ...]"
            % (format(n, ","), "" if n == 1 else "s", format(len(middle), ",")))
    # The colours in force where the tail starts, so it shows as in the full output.
    codes = active_codes(middle, active_codes(head_text))
    return head_text + ("" if head_text.endswith("\n") else "\n") + "\x1b[0m" + note + "\n" + codes + tail_text


class ShortenLongText(Preprocessor):
    """Shortens long stream outputs, text/plain outputs and tracebacks for the page (see `shorten`)."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and isinstance(output.get("text"), str):
                output["text"] = shorten(output["text"])
            data = output.get("data")
            if data and isinstance(data.get("text/plain"), str):
                data["text/plain"] = shorten(data["text/plain"])
            if output.get("output_type") == "error" and isinstance(output.get("traceback"), list):
                joined = shorten("\n".join(output["traceback"]))
                output["traceback"] = joined.split("\n")
        return cell, resources
