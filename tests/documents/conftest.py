from __future__ import annotations

import pytest

from config import ROOT
from dvflow.services.documents import flow

from .fixtures.template import write_documents_dir

SHIPPED = ROOT / "workflows" / "documents"


@pytest.fixture
def documents_dir(tmp_path) -> str:
    """The fixture templates, one per type of the contract."""
    return write_documents_dir(tmp_path / "documents")


@pytest.fixture
def doc_settings(documents_dir, tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=documents_dir, files=str(tmp_path / "uploads"), pdf=False)
