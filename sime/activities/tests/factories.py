from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sime.activities import services
from sime.activities.models import Activity, Consultancy, Project
from sime.institutions.models import Institution


def make_project(agency: Institution, **extra: Any) -> Project:
    fields: dict[str, Any] = {
        "title": "Socialización de la Política Migratoria 2024",
        "agency": agency,
        "modality": "in_kind",
        "area": "Departamento de Estudios y Políticas Migratorias",
        "responsible_name": "Ana López",
        "responsible_position": "Jefa del DEPM",
        "start_date": dt.date(2024, 3, 1),
        "end_date": dt.date(2024, 12, 31),
        "introduction": "La OIM apoyó la socialización de la Política.",
        "justification": "La Política debe conocerse en todo el país.",
        "general_objective": "Socializar la Política Migratoria.",
        "specific_objectives": ["Presentar la Política", "Capacitar enlaces"],
    }
    fields.update(extra)
    return services.save_project(by=None, **fields)


def make_activity(project: Project, cost: str = "11710.50", **extra: Any) -> Activity:
    fields: dict[str, Any] = {
        "kind": "public_event",
        "title": "Lanzamiento de la Política",
        "description": "Presentación pública.",
        "start_date": dt.date(2024, 3, 5),
        "attendance_total": 120,
        "cost": Decimal(cost),
    }
    by_sector = extra.pop("attendance_by_sector", {"government": 80, "civil_society": 25})
    fields.update(extra)
    return services.save_activity(by=None, project=project, attendance_by_sector=by_sector, **fields)


def make_consultancy(project: Project, amount: str = "23421.00", **extra: Any) -> Consultancy:
    fields: dict[str, Any] = {
        "title": "Consultoría de monitoreo y evaluación",
        "description": "Diseño de instrumentos.",
        "start_month": dt.date(2024, 5, 1),
        "end_month": dt.date(2024, 8, 1),
        "amount": Decimal(amount),
    }
    assignments = extra.pop(
        "assignments",
        [
            {
                "name": "Asistencia Técnica 1",
                "duties": ["Diseñar los instrumentos", "Construir la red causal"],
                "deliverables": [{"title": "Informe de instrumentos", "due_date": dt.date(2024, 6, 30)}],
            }
        ],
    )
    fields.update(extra)
    return services.save_consultancy(by=None, project=project, assignments=assignments, **fields)
