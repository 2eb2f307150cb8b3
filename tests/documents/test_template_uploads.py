"""What an uploaded template (/van-ban/mau) is checked for before it is kept, beyond the names it uses
(test_template_sandbox.py): the Jinja release the sandbox rests on, the work one rendering may take, a damaged file,
the parts docxtpl renders besides the body, and the sample context it is tried with."""
from __future__ import annotations

import re

from config import ROOT


def test_the_sandboxed_jinja_is_pinned_to_a_release_without_the_known_sandbox_escapes():
    """The documents' safety rests on Jinja's sandbox (generate.py); Jinja2 < 3.1.6 has published sandbox escapes
    (CVE-2024-56201, CVE-2024-56326, CVE-2025-27516). requirements.txt pins it exactly, like every dependency."""
    import jinja2

    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    pin = re.search(r"^Jinja2==([0-9.]+)$", text, re.M)
    assert pin is not None, "Jinja2 is not pinned in requirements.txt"
    assert tuple(int(p) for p in pin.group(1).split(".")) >= (3, 1, 6)
    assert jinja2.__version__ == pin.group(1)
