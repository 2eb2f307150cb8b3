"""The app's view of the workflow definitions: the current file of each kind, and every stored version.

A case is pinned to the version it started on. When its version is no longer a file on disk (the YAML was edited),
the exact text is read back from the `workflow_versions` table and compiled once.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from . import read_mostly
from .engine.types import LadderStep
from .engine.workflow.definition import Definition
from .engine.workflow.registry import Registry, WorkflowLoadFailed, load_all, load_text
from .models import Case, WorkflowVersion

_STORED = select(WorkflowVersion.hash).where(WorkflowVersion.hash == bindparam("hash"))
_ALL_STORED = select(WorkflowVersion.hash)


def _stored_hashes(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(_ALL_STORED))


class WorkflowConfigError(RuntimeError):
    """An invalid workflow file: the app refuses to start."""


class Workflows:
    def __init__(self, registry: Registry):
        self._registry = registry
        self._lock = threading.Lock()
        #: the folder the definitions came from (documents/ beside them holds the document templates)
        self.directory: str | None = None

    def kinds(self) -> list[Definition]:
        return sorted(self._registry, key=lambda d: d.id)

    def latest(self, kind: str) -> Definition:
        from .services.errors import ServiceError

        if kind not in self._registry:
            raise ServiceError("Loại hồ sơ không tồn tại: %(kind)s.", field="kind", kind=kind)
        return self._registry.get(kind)

    def definitions(self, session: Session | None = None) -> list[Definition]:
        """Every version known: the current file of each kind and the stored versions already loaded; with a
        session, every version stored in the database too (each compiled once, then kept)."""
        if session is not None:
            for version in session.scalars(_ALL_STORED):
                self.version(version, session)
        return list(self._registry.by_version.values())

    def version(self, version: str, session: Session | None = None) -> Definition:
        if version in self._registry.by_version:
            return self._registry.version(version)
        if session is None:
            raise KeyError(version)
        stored = session.get(WorkflowVersion, version)
        if stored is None:
            raise KeyError(version)
        defn = load_text(stored.source, stored.path or f"<stored {version[:12]}>")
        with self._lock:
            self._registry = self._registry.with_version(defn)
        return defn

    def for_case(self, case: Case, session: Session | None = None) -> Definition:
        from sqlalchemy.orm import object_session

        return self.version(case.workflow_version, session or object_session(case))

    def ladder(self, session: Session | None, workflow_version: str, clock_name: str) -> Sequence[LadderStep]:
        """The ladder of a clock of a workflow version (a ``LadderLookup``: the session reads a stored version)."""
        clock = self.version(workflow_version, session).clocks.get(clock_name)
        return clock.ladder if clock is not None else ()

    def ensure_stored(self, session: Session, defn: Definition, now: datetime) -> None:
        """Keep the exact text of every version a case runs on. Which versions are stored is read-mostly data
        (dvflow.read_mostly): no statement when the process has seen this version stored under the current token."""
        if defn.version in read_mostly.part(session, "workflow_versions", _stored_hashes):
            return
        if session.scalar(_STORED, {"hash": defn.version}) is None:  # not session.get: it would load the source text
            session.add(WorkflowVersion(hash=defn.version, workflow_id=defn.id, source=defn.source_text,
                                        path=defn.path, created_at=now))
            session.flush()
            read_mostly.forget(session)  # the insert moved the token; what was cached stays true for its token


def load_registry(directory: str) -> Workflows:
    try:
        registry = load_all(directory)
    except WorkflowLoadFailed as exc:
        raise WorkflowConfigError("Invalid workflow definitions:\n" + str(exc)) from exc
    problems = (unknown_templates(registry) + unknown_documents(registry, directory)
                + head_documents_granted_to_officers(registry, directory))
    if problems:
        raise WorkflowConfigError("Invalid workflow definitions:\n" + "\n".join(problems))
    workflows = Workflows(registry)
    workflows.directory = directory
    return workflows


def unknown_templates(definitions) -> list[str]:
    """Notification templates a workflow names that do not exist, as `path:line: message`."""
    from .notify.templates import TEMPLATES

    return [f"{d.path}:{t.line}: unknown notification template {n.template!r} (known: see dvflow/notify/templates.py)"
            for d in definitions for t in d.transitions for n in t.notify if n.template not in TEMPLATES]


def unknown_documents(definitions, directory: str) -> list[str]:
    """Document types a transition names that the manifest (workflows/documents/documents.yaml) does not declare.
    Without a manifest no document is generated and nothing is checked."""
    from .services.documents.templates import load_manifest, manifest_dir

    if not (manifest_dir(directory) / "documents.yaml").is_file():
        return []
    known = load_manifest(manifest_dir(directory))
    return [f"{d.path}:{t.line}: unknown document type {t.document!r} (known: workflows/documents/documents.yaml)"
            for d in definitions for t in d.transitions if t.document and t.document not in known]


def head_documents_granted_to_officers(definitions, directory: str) -> list[str]:
    """Transitions that issue a document the law gives to the head (every type but the officer's own documents and
    minutes: services/documents/signers.py) while granting another role: `perform` would refuse every such officer
    (signers.require_issuer), so the workflow must grant the head alone (`roles: [head]`). Drafting and returning
    steps are the officers' to take. Without a manifest no document is issued and nothing is checked."""
    from .services.documents.signers import MINUTES, OFFICER_ISSUES
    from .services.documents.templates import load_manifest, manifest_dir

    if not (manifest_dir(directory) / "documents.yaml").is_file():
        return []
    known = load_manifest(manifest_dir(directory))
    return [f"{d.path}:{t.line}: transition {t.trigger!r} issues {t.document!r}, a document of the head "
            f"(services/documents/signers.py), but grants {', '.join(sorted(t.roles - {'head'}))}: "
            f"give it roles [head]"
            for d in definitions for t in d.transitions
            if t.document in known and t.document_step == "issue" and t.document not in OFFICER_ISSUES
            and t.document not in MINUTES and t.roles - {"head"}]
