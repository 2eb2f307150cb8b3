"""The English catalogue is complete and compiled: every string the source marks for translation has an English
translation in dvflow/translations/en (so a new untranslated string fails here, listed), and the .mo is the .po.

After adding or changing a marked string: `make translations`, translate the new entries in
dvflow/translations/en/LC_MESSAGES/messages.po, then `make translations` again (it compiles the .mo).
"""
from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "dvflow" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
#: the keywords of `make translations` (pybabel extract -k _l -k N_ and the error classes, whose first argument is a
#: service's message), on top of Babel's defaults
ERROR_CLASSES = ("ServiceError", "Forbidden", "NotFound", "Conflict", "TooLarge", "BadType", "BadBackup",
                 "PdfUnavailable")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None, **{name: (1,) for name in ERROR_CLASSES}}


def _source_msgids() -> dict[str, str]:
    """msgid -> first place it occurs, extracted from the source as `make translations` does (babel.cfg)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(ROOT / "babel.cfg"))
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        for msgid in (message if isinstance(message, (tuple, list)) else (message,)):
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _read_po():
    with open(PO, "rb") as f:
        return read_po(f, locale="en")


def test_every_marked_string_has_an_english_translation():
    source = _source_msgids()
    assert len(source) > 200, "extraction found too little: is babel.cfg still right?"
    catalog = _read_po()
    missing = []
    for msgid, where in sorted(source.items(), key=lambda kv: kv[1]):
        message = catalog.get(msgid)
        strings = message.string if message is not None else None
        strings = strings if isinstance(strings, (tuple, list)) else (strings,)
        if message is None or "fuzzy" in message.flags or not all(s and s.strip() for s in strings):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, ("untranslated (run `make translations`, translate in " + str(PO.relative_to(ROOT))
                         + ", run it again):\n" + "\n".join(missing))


def test_translations_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    wrong = [m.id for m in _read_po() if m.id and isinstance(m.id, str) and m.string
             and sorted(placeholder.findall(m.id)) != sorted(placeholder.findall(m.string))]
    assert not wrong, f"placeholders differ between msgid and translation: {wrong}"


def test_mo_is_compiled_from_the_po():
    po = {m.id: m.string for m in _read_po() if m.id and "fuzzy" not in m.flags}
    with open(MO, "rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    only_po, only_mo = sorted(set(po) - set(mo))[:10], sorted(set(mo) - set(po))[:10]
    assert set(mo) == set(po), f"the .mo is out of date (run `make translations`): only in .po {only_po}, only in .mo {only_mo}"
    stale = sorted(k for k in po if po[k] != mo[k])
    assert not stale, f"the .mo is out of date (run `make translations`): {stale[:10]}"


def test_flask_babel_finds_the_catalogue(app):
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"):
        with force_locale("en"):
            assert gettext("Đăng xuất") == "Log out"
        with force_locale("vi"):
            assert gettext("Đăng xuất") == "Đăng xuất"


def test_a_service_message_with_values_is_translated_before_it_is_filled(app):
    """A service's message with values is a template: the API and the logs get it filled in Vietnamese; a page
    translates the template, and a value that is a field's name, before filling it (an f-string could not be)."""
    from flask_babel import force_locale

    from dvflow.i18n import said
    from dvflow.services.errors import ServiceError

    exc = ServiceError("%(label)s: tối đa %(limit)s ký tự.", field="notes", label="Ghi chú", limit=5000)
    assert exc.message == str(exc) == "Ghi chú: tối đa 5000 ký tự."
    with app.test_request_context("/"):
        with force_locale("en"):
            assert said(exc) == "Note: at most 5000 characters."
            assert said(ServiceError("Ghi chú: tối đa 50% ký tự.")) == "Ghi chú: tối đa 50% ký tự."  # no values
        with force_locale("vi"):
            assert said(exc) == exc.message


def _error_classes(trees) -> set[str]:
    """ServiceError and every class deriving from it (by name, to a fixed point) in the parsed source."""
    names = {"ServiceError"}
    while True:
        found = {node.name for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                 and any(_name(base) in names for base in node.bases)}
        if found <= names:
            return names
        names |= found


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _built(arg) -> bool:
    # an f-string, a concatenation or a %-formatting, or "…".format(…): a text no catalogue can hold
    return (isinstance(arg, (ast.JoinedStr, ast.BinOp))
            or isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format")


def test_no_error_message_is_built_in_code():
    """An error's message is a literal template with its values as keywords (`ServiceError("… %(n)s …", n=…)`):
    babel cannot extract an f-string (or extracts the literal continuation of one as a meaningless fragment), so an
    English page would show it in Vietnamese. Covers the classes' own super().__init__ (LikelyDuplicate's)."""
    trees = {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "dvflow").rglob("*.py"))}
    classes = _error_classes(trees)
    assert {"ServiceError", "Forbidden", "NotFound", "Conflict", "TooLarge", "BadType", "BadBackup",
            "PdfUnavailable", "LikelyDuplicate"} <= classes
    calls, built = 0, []
    for path, tree in trees.items():
        # within an error class, its call of super().__init__ passes the message too
        inits = {id(n) for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef) and cls.name in classes
                 for n in ast.walk(cls) if isinstance(n, ast.Call) and _name(n.func) == "__init__"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and (_name(node.func) in classes or id(node) in inits):
                calls += 1
                if _built(node.args[0]):
                    built.append(f"{path}:{node.lineno}")
    assert calls > 250, "found too few error calls: has the error class hierarchy moved?"
    assert not built, "messages built in code (make them templates with keyword values):\n" + "\n".join(built)


def test_make_translations_extracts_the_same_error_classes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert all(f"-k {name} " in makefile for name in ERROR_CLASSES)


def test_a_cancelled_session_is_not_a_voided_case_in_english(app):
    """Vietnamese says "Đã hủy" of both; a session, booking or conference called off reads "Cancelled", a case
    entered by mistake "Voided" (the templates ask with the context "cancelled")."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"):
        with force_locale("en"):
            assert render_template_string("{% import 'reception/_labels.html' as L %}{{ L.status('cancelled') }}") \
                == "Cancelled"
            assert render_template_string("{{ _('Đã hủy') }}") == "Voided"


def test_a_workflow_label_in_a_message_follows_the_page_and_falls_back_to_vietnamese(app):
    """A workflow object's name given as a value (dvflow.engine.message.Label) is shown as its YAML label_en on an
    English page, as its Vietnamese label when it has no English one, and as the Vietnamese on a Vietnamese page."""
    from flask_babel import force_locale

    from dvflow.engine.message import Label, msg
    from dvflow.i18n import said

    accept, unnamed = Label("Thụ lý", "Accept"), Label("Bước riêng", "")
    template = "Vai trò của bạn không được thực hiện «%(action)s»"
    with app.test_request_context("/"):
        with force_locale("en"):
            assert "Accept" in said(msg(template, action=accept)) and "Thụ lý" not in said(msg(template, action=accept))
            assert "Bước riêng" in said(msg(template, action=unnamed))
        with force_locale("vi"):
            assert said(msg(template, action=accept)) == "Vai trò của bạn không được thực hiện «Thụ lý»"
