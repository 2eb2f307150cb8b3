"""The documents' Jinja environment: Jinja's sandbox (no attribute starting with "_", no unsafe call, the context's
lists and mappings immutable) with bounds on the work one rendering may do.

A unit's administrator uploads templates, and a template renders inside a web request (tried once at upload, then
at every issue): within the plain sandbox, `{% for i in range(100000) %}{% for j in range(100000) %}` is 10^10
steps, and `"x" * 10**9` or `"x"|center(10**9)` a gigabyte, which would hold a web worker until the server kills
it, as often as the administrator uploads. A document loops over its parties, recipients and a session's tasks,
pads a line or two, and is a few pages long. So one rendering of one part of a DOCX (body, headers, footers,
properties, footnotes: docxtpl renders each apart) may take at most MAX_LOOP_STEPS steps of all its loops together;
a range, a repeated text or list, a padding or a formatting width is at most MAX_SIZE, an exponent at most
MAX_EXPONENT, and the text rendered at most MAX_OUTPUT characters. Beyond them the rendering stops with WorkLimit, a
Vietnamese refusal. A loop that calls itself (`recursive`) is refused: its inner loops would escape the count."""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from jinja2 import nodes, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import N_, ServiceError

MAX_LOOP_STEPS = 10_000
MAX_SIZE = 10_000
MAX_EXPONENT = 64
MAX_OUTPUT = 10_000_000
#: the filter every loop's items pass through (a name no template would choose)
LOOP_FILTER = "dvflow_loop_steps"
#: filters whose integer arguments are sizes: what they build grows with them
SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "slice", "batch")
#: methods and functions whose integer arguments are sizes (str padding, range, lipsum)
SIZED_CALLS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "range", "safe_range",
                         "generate_lorem_ipsum"})
#: a width or precision in a printf-style (`%10s`, `%*d`) or a str.format (`{:>10}`) conversion
PRINTF_WIDTHS = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
FORMAT_SPECS = re.compile(r"\{[^{}]*:([^{}]*)\}")

#: the refusals (a WorkLimit's message, extracted by N_)
SIZE = N_("Mẫu dùng kích thước quá lớn (tối đa %(limit)s phần tử hoặc ký tự một lần): một văn bản không cần đến "
          "như vậy.")
STEPS = N_("Mẫu lặp quá %(limit)s lần khi tạo một văn bản: một văn bản không cần đến như vậy.")
EXPONENT = N_("Mẫu dùng lũy thừa quá lớn (số mũ tối đa %(limit)s).")
OUTPUT = N_("Mẫu tạo ra văn bản quá dài (hơn %(limit)s ký tự).")
RECURSIVE = N_("Mẫu dùng vòng lặp đệ quy (recursive), không được phép trong văn bản (dòng %(line)s).")


class WorkLimit(ServiceError):
    """A template asked for more work than a document needs (see the module's docstring); nothing is written."""


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_sizes(values: Iterable[Any]) -> None:
    if any(_int(v) and abs(v) > MAX_SIZE for v in values):
        raise WorkLimit(SIZE, limit=MAX_SIZE)


def _check_format(fmt: Any, args: Iterable[Any]) -> None:
    """A printf-style or str.format string's widths and precisions; a `*` width takes its value from the args."""
    if not isinstance(fmt, str):
        return
    widths = [w for pair in PRINTF_WIDTHS.findall(fmt) for w in pair if w]
    widths += [w for spec in FORMAT_SPECS.findall(fmt) for w in re.findall(r"\d+", spec)]
    _check_sizes(int(w) for w in widths if w != "*")
    if "*" in widths:
        _check_sizes(args)


def _repeated_length(left: Any, right: Any) -> int:
    """The length `left * right` would have, for a text or a list repeated (0 for numbers)."""
    seq, times = (left, right) if _int(right) else (right, left)
    return len(seq) * times if isinstance(seq, (str, list, tuple)) and _int(times) else 0


@pass_context
def _loop_steps(context, items):
    """The loop's items, each counted against the rendering's MAX_LOOP_STEPS (kept on the rendering's context)."""
    for item in items:
        steps = getattr(context, "dvflow_steps", 0) + 1
        if steps > MAX_LOOP_STEPS:
            raise WorkLimit(STEPS, limit=MAX_LOOP_STEPS)
        context.dvflow_steps = steps
        yield item


def _sized(filter_: Callable) -> Callable:
    """`filter_` with its integer arguments (after the value filtered) bounded by MAX_SIZE."""
    def bounded(*args, **kwargs):
        _check_sizes(list(args[1:]) + list(kwargs.values()))
        return filter_(*args, **kwargs)
    if hasattr(filter_, "jinja_pass_arg"):  # how Jinja passes it the context or the environment
        bounded.jinja_pass_arg = filter_.jinja_pass_arg
    return bounded


def _bounded_format(value, *args, **kwargs):
    _check_format(value, list(args) + list(kwargs.values()))
    return _plain_format(value, *args, **kwargs)


_plain_format = ImmutableSandboxedEnvironment().filters["format"]


class DocumentsSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with the bounds of the module's docstring."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options):
        super().__init__(**options)
        self.filters[LOOP_FILTER] = _loop_steps
        self.filters["format"] = _bounded_format
        for name in SIZED_FILTERS:
            self.filters[name] = _sized(self.filters[name])

    def _parse(self, source, name, filename):
        """The template's tree with every loop's items counted (LOOP_FILTER); a recursive loop refused."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            if loop.recursive:
                raise WorkLimit(RECURSIVE, line=loop.lineno)
            loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        return tree

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - the sandbox's own signature
        name = getattr(__obj, "__name__", "")
        if name in SIZED_CALLS:
            _check_sizes(list(args) + list(kwargs.values()))
        elif name in ("format", "format_map"):  # str.format, wrapped by the sandbox around the string
            _check_format(getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None), ())
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _repeated_length(left, right) > MAX_SIZE:
            raise WorkLimit(SIZE, limit=MAX_SIZE)
        if operator == "**" and _int(right) and abs(right) > MAX_EXPONENT:
            raise WorkLimit(EXPONENT, limit=MAX_EXPONENT)
        if operator == "%":
            _check_format(left, right if isinstance(right, tuple) else (right,))
        return super().call_binop(context, operator, left, right)

    def concat(self, pieces: Iterable[str]) -> str:
        """The rendered text, refused once it passes MAX_OUTPUT characters (Jinja joins every rendering here)."""
        out, size = [], 0
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT:
                raise WorkLimit(OUTPUT, limit=MAX_OUTPUT)
            out.append(piece)
        return "".join(out)
