import pytest


@pytest.fixture
def rules():
    from config import ROOT
    from dvflow.services.reception import refusals

    return refusals.load(ROOT / "workflows")
