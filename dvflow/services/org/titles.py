"""The title of a unit's head (thủ trưởng) as the documents print it: under the signature, upper case (Nghị định
30/2020/NĐ-CP, Điều 8 khoản 7 and Phụ lục I: "quyền hạn, chức vụ của người ký"), on the authority line of a decision
and in "Nơi nhận" ("Chủ tịch UBND tỉnh").

The level of a unit does not tell it: a unit of level "department" may be a Sở (Giám đốc), the provincial
inspectorate (Chánh Thanh tra, Luật Thanh tra 2022, Điều 16), the People's Committee's office (Chánh Văn phòng) or
the citizens' reception board (Trưởng Ban, Luật Tiếp công dân 2013, Điều 10). A unit's own title (units.head_title)
is printed when it has one, its level's otherwise."""
from __future__ import annotations

import re
import unicodedata

from ...models import Unit
from ..errors import ServiceError

#: the head's title by the level of the unit, when the unit has no title of its own
LEVEL_TITLES = {"province": "Chủ tịch", "department": "Giám đốc", "commune": "Chủ tịch"}
HEAD_TITLE = "Thủ trưởng"
MAX_TITLE = 100
#: letters (any script's, with their marks), digits, spaces and the punctuation of a title ("Chánh Thanh tra (TTr.)")
ALLOWED = re.compile(r"[\w .,()/-]+")


def head_title(unit: Unit) -> str:
    """The title the head of `unit` signs under, as written (upper-cased by the signer's block)."""
    return unit.head_title or LEVEL_TITLES.get(unit.level, HEAD_TITLE)


def with_unit(title: str, name: str) -> str:
    """The title joined with the name of the unit it heads, the words they share said once: "Chánh Thanh tra" of
    "Thanh tra tỉnh" is "Chánh Thanh tra tỉnh", "Trưởng Ban" of "Ban Tiếp công dân tỉnh" is "Trưởng Ban Tiếp công
    dân tỉnh", "Giám đốc" of "Sở Y tế" is "Giám đốc Sở Y tế"."""
    words, unit_words = title.split(), name.split()
    fold = [_fold(w) for w in words]
    shared = next((n for n in range(min(len(words), len(unit_words)), 0, -1)
                   if fold[-n:] == [_fold(w) for w in unit_words[:n]]), 0)
    return " ".join(words + unit_words[shared:])


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def clean(value: str | None) -> str | None:
    """A title as typed, its spaces tidied; None when empty (the level's title then). Refused, naming the field,
    when too long or holding anything but letters, digits, spaces and . , ( ) / -."""
    title = " ".join(unicodedata.normalize("NFC", value or "").split())
    if not title:
        return None
    if len(title) > MAX_TITLE:
        raise ServiceError("Chức danh thủ trưởng dài quá %(max)s ký tự.", field="head_title", max=MAX_TITLE)
    if not ALLOWED.fullmatch(title) or not any(c.isalpha() for c in title):
        raise ServiceError("Chức danh thủ trưởng chỉ gồm chữ, chữ số, dấu cách và các dấu . , ( ) / - (ví dụ «Chánh "
                           "Thanh tra»).", field="head_title")
    return title
