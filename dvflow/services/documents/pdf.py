"""DOCX -> PDF with LibreOffice headless, in a temporary folder, with a timeout."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ServiceError

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 90
MISSING = N_("PDF chưa có: máy chủ chưa cài LibreOffice. Tải tệp DOCX.")


class PdfUnavailable(ServiceError):
    status = 503


def soffice() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def to_pdf(docx: bytes, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a DOCX. PdfUnavailable without LibreOffice; ServiceError when the conversion fails or times out."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(MISSING)
    with tempfile.TemporaryDirectory(prefix="dvflow-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        # a profile of its own: a second LibreOffice on the same profile waits for the first, or fails
        profile = Path(tmp) / "profile"
        cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env={**os.environ, "HOME": tmp},
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            raise ServiceError("Chuyển sang PDF quá thời gian cho phép; chưa ban hành, thử lại sau.") from exc
        except OSError as exc:
            raise ServiceError("Không chạy được LibreOffice để chuyển sang PDF: %(problem)s.",
                               problem=str(exc)) from exc
        out = Path(tmp) / "document.pdf"
        if proc.returncode != 0 or not out.is_file():
            log.warning("soffice failed (%s): %s", proc.returncode, proc.stderr[-500:])
            raise ServiceError("Không chuyển được văn bản sang PDF; chưa ban hành, thử lại sau.")
        return out.read_bytes()
