"""The BPMN engine dvflow is compared with in issue #19 item 5: SpiffWorkflow running bench/petition.bpmn, one JSON
row per case in ``bpmn_instances`` (same database as dvflow's tables).

As a service built on it would, each process parses the BPMN file once and keeps the spec; a row holds the
instance only (its task tree and data), not the spec: SpiffWorkflow's default ``serialize_json`` would copy the
~7 KB spec into every row and rebuild it on every load, which no service does (SpiffArena keeps specs apart).
That makes the BPMN side as fast as this engine can reasonably be, which is the fair way to compare.

An intake: new instance from the spec, engine steps to the first user task, the case's data on that task,
serialize, INSERT, COMMIT. An action: SELECT ... FOR UPDATE the row, deserialize, complete the ready user task
(refused unless it is the one the caller names: the engine's only check), engine steps, serialize, UPDATE guarded
by the row's version, COMMIT.
"""
from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from sqlalchemy import text

SPEC_FILE = Path(__file__).resolve().with_name("petition.bpmn")
PROCESS_ID = "petition"
TABLE = "bpmn_instances"

_DDL = {
    "postgresql": f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, data jsonb NOT NULL, "
                  "version integer NOT NULL DEFAULT 1)",
    "sqlite": f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, data TEXT NOT NULL, "
              "version INTEGER NOT NULL DEFAULT 1)",
}


def parse_spec():
    """The process spec, parsed from the BPMN XML (once per process)."""
    from SpiffWorkflow.bpmn.parser import BpmnParser

    parser = BpmnParser()
    parser.add_bpmn_file(str(SPEC_FILE))
    return parser.get_spec(PROCESS_ID)


def _instance_converter_class():
    from SpiffWorkflow.bpmn.serializer.default.workflow import (
        BpmnWorkflowConverter,
        WorkflowConverter,
    )

    class InstanceConverter(BpmnWorkflowConverter):
        """SpiffWorkflow's workflow converter without the spec: the row keeps the instance, the process the spec."""

        def __init__(self, target_class, registry, spec):
            super().__init__(target_class, registry)
            self.spec = spec

        def to_dict(self, workflow):
            dct = WorkflowConverter.to_dict(self, workflow)
            dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
            dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
            return dct

        def from_dict(self, dct):
            workflow = self.target_class(self.spec, {}, deserializing=True)
            workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
            workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
            self.set_default_attributes(workflow, dct)
            self.subprocesses_from_dict(dct["subprocesses"], workflow)
            workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
            return workflow

    return InstanceConverter


class BpmnStore:
    """The BPMN side of the comparison on one SQLAlchemy engine (the statement counter listens on it)."""

    def __init__(self, engine, spec=None) -> None:
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

        self.engine, self.spec = engine, spec or parse_spec()
        self.pg = engine.dialect.name == "postgresql"
        registry = BpmnWorkflowSerializer.configure()
        _instance_converter_class()(BpmnWorkflow, registry, self.spec)  # replaces the default converter
        self.serializer = BpmnWorkflowSerializer(registry)
        self._workflow_class = BpmnWorkflow
        data = "CAST(:data AS jsonb)" if self.pg else ":data"
        lock = " FOR UPDATE" if self.pg else ""  # SQLite: the write lock is the whole database, taken at BEGIN
        self._insert = text(f"INSERT INTO {TABLE} (data, version) VALUES ({data}, 1) RETURNING id")
        self._select = text(f"SELECT data, version FROM {TABLE} WHERE id = :id{lock}")
        self._update = text(f"UPDATE {TABLE} SET data = {data}, version = version + 1 "
                            "WHERE id = :id AND version = :version")

    def create_table(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(_DDL[self.engine.dialect.name]))

    # --- the instance in memory ------------------------------------------------------------------------------------

    def dumps(self, workflow) -> str:
        return self.serializer.serialize_json(workflow)

    def loads(self, data):
        """The instance from its column: psycopg hands jsonb over already parsed, SQLite as text."""
        dct = json.loads(data) if isinstance(data, str) else data
        self.serializer.migrate(dct)
        return self.serializer.from_dict(dct)

    @staticmethod
    def ready_task(workflow):
        from SpiffWorkflow.util.task import TaskState

        return workflow.get_next_task(state=TaskState.READY, manual=True)

    def new_instance(self, data: dict):
        workflow = self._workflow_class(self.spec)
        workflow.do_engine_steps()
        self.ready_task(workflow).data.update(data)
        return workflow

    def complete(self, workflow, task_name: str, data: dict) -> str | None:
        """Complete the ready user task ``task_name`` with ``data``; the name of the next one (None at the end)."""
        task = self.ready_task(workflow)
        if task is None or task.task_spec.name != task_name:
            waiting = task.task_spec.name if task else None
            raise ValueError(f"Không thể thực hiện {task_name}: hồ sơ đang chờ {waiting} "
                             f"(cannot do {task_name}: the case waits at {waiting})")
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
        following = self.ready_task(workflow)
        return following.task_spec.name if following else None

    # --- one transaction each ----------------------------------------------------------------------------------------

    def intake(self, data: dict) -> int:
        """A new case at its first user task, stored: its row id."""
        row = self.dumps(self.new_instance(data))
        with self.engine.begin() as conn:
            return conn.execute(self._insert, {"data": row}).scalar_one()

    def act(self, instance_id: int, task_name: str, data: dict) -> str | None:
        """Complete the case's ready user task ``task_name``; the next task's name."""
        with self.engine.begin() as conn:
            stored, version = conn.execute(self._select, {"id": instance_id}).one()
            workflow = self.loads(stored)
            following = self.complete(workflow, task_name, data)
            done = conn.execute(self._update, {"id": instance_id, "version": version, "data": self.dumps(workflow)})
            if done.rowcount != 1:
                raise RuntimeError(f"bpmn_instances {instance_id}: version {version} changed under the row lock")
        return following

    def load(self, instance_id: int):
        with self.engine.connect() as conn:
            stored = conn.execute(text(f"SELECT data FROM {TABLE} WHERE id = :id"), {"id": instance_id}).scalar_one()
        return self.loads(stored)


def completed_tasks(workflow) -> list[str]:
    """The names of the user tasks an instance has completed, in the order they were completed."""
    from SpiffWorkflow.util.task import TaskState

    done = [t for t in workflow.get_tasks(state=TaskState.COMPLETED) if t.task_spec.manual]
    return [t.task_spec.name for t in sorted(done, key=lambda t: t.last_state_change)]
