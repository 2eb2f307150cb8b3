"""The OpenAPI 3.1 document: structurally valid, every route in it, request schemas = the pydantic models."""
from __future__ import annotations

import re

from dvflow.api import schemas, schemas_public
from dvflow.api.openapi import REF


def test_document_is_openapi_31_and_complete(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"] == "3.1.0" and doc["info"]["title"] and doc["info"]["version"]
    rules = {(r.rule, m) for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")
             for m in r.methods - {"HEAD", "OPTIONS"}}
    rules -= {("/api/v1/openapi.json", "GET"), ("/api/v1/docs", "GET")}
    documented = {(re.sub(r"\{(\w+_id)\}", r"<int:\1>", p).replace("{trigger}", "<trigger>"),
                   m.upper()) for p, ops in doc["paths"].items() for m in ops}
    assert rules == documented
    components = doc["components"]["schemas"]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["operationId"] and op["responses"]
            for code, resp in op["responses"].items():
                assert code.isdigit() and resp["description"]
            for param in op.get("parameters", []):
                assert param["in"] in ("path", "query", "header") and "schema" in param
                assert param["in"] != "path" or (param["required"] and "{%s}" % param["name"] in path)
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if ref:
                assert ref["$ref"].split("/")[-1] in components
    _refs_resolve(doc, components)


def _refs_resolve(node, components) -> None:
    if isinstance(node, dict):
        if "$ref" in node:
            assert node["$ref"].startswith("#/components/schemas/")
            assert node["$ref"].split("/")[-1] in components, node["$ref"]
        for value in node.values():
            _refs_resolve(value, components)
    elif isinstance(node, list):
        for value in node:
            _refs_resolve(value, components)


def test_request_schemas_are_the_pydantic_models(client):
    doc = client.get("/api/v1/openapi.json").json
    components = doc["components"]["schemas"]
    expected = {"/api/v1/cases": schemas.CaseCreate, "/api/v1/cases/{case_id}/actions/{trigger}": schemas.ActionRequest,
                "/api/v1/cases/{case_id}/assign": schemas.AssignRequest, "/api/v1/public/track": schemas_public.TrackRequest,
                "/api/v1/public/rate": schemas_public.RateRequest}
    for path, model in expected.items():
        ref = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        own = model.model_json_schema(ref_template=REF)
        own.pop("$defs", None)
        assert components[ref.split("/")[-1]] == own
    query = {p["name"] for p in doc["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert query == set(schemas.CaseListQuery.model_json_schema()["properties"])


def test_docs_page_lists_endpoints_without_cdn(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/cases/{case_id}/actions/{trigger}" in html and "CaseCreate" in html
    assert "Tài liệu API" in html and "cdn" not in html.lower() and "swagger" not in html.lower()


def test_every_api_model_has_its_own_name():
    # the document keys each schema by its class name: two models of one name would silently replace each other
    import importlib
    import inspect
    import pkgutil

    from pydantic import BaseModel

    import dvflow.api

    owners: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(dvflow.api.__path__):
        module = importlib.import_module(f"dvflow.api.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__.startswith("dvflow.api"):
                owners.setdefault(obj.__name__, set()).add(f"{obj.__module__}.{obj.__qualname__}")
    assert {n: o for n, o in owners.items() if len(o) > 1} == {}


def test_refusals_the_api_answers_are_documented(client):
    """The 403 of reports a handler may not see, and the 413 of a body too large on every route that takes one."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/reports/scorecard", "/api/v1/dialogues/compliance"):
        assert "403" in paths[path]["get"]["responses"], path
    with_body = [(p, m) for p, ops in paths.items() for m, op in ops.items() if "requestBody" in op]
    assert ("/api/v1/cases", "post") in with_body and ("/api/v1/public/track", "post") in with_body
    assert all("413" in paths[p][m]["responses"] for p, m in with_body)


def test_a_body_too_large_is_told_so_not_as_a_file(app, api):
    """The page's "Tệp tải lên quá lớn." spoke of a file for a JSON body; the web keeps it (its uploads are files)."""
    app.config["MAX_CONTENT_LENGTH"] = 1000
    for who, path in (("reception", "/cases"), (None, "/public/track")):
        resp = api(who).post(path, {"subject": "a" * 2000})
        assert resp.status_code == 413 and resp.json["error"]["message"] == "Nội dung yêu cầu quá lớn.", resp.json
    assert "Tệp tải lên quá lớn" in api(None).client.post("/dang-nhap", data={"x": "a" * 2000}).get_data(as_text=True)
