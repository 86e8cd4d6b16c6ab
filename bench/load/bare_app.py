"""The comparison for bench/pipeline_cost.py: a bare FastAPI endpoint running the same SQL.

No translator, guard, policies, row cap logic, COUNT, audit, rate limit or middleware: the
question is looked up in a table of the SQL the pipeline ran for it (BARE_QUERIES, a JSON
file), run on a pooled SQLAlchemy engine (BARE_DATABASE_URL) and the rows returned as JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import create_engine, text

from data_assistant.serialize import json_value

QUERIES: dict[str, str] = json.loads(Path(os.environ["BARE_QUERIES"]).read_text())
engine = create_engine(os.environ["BARE_DATABASE_URL"], pool_size=5, pool_pre_ping=True)
app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/v1/query/sql")
def query(body: dict[str, Any]) -> dict[str, Any]:
    sql = QUERIES[body["question"]]
    with engine.connect() as conn:
        result = conn.execute(text(sql))
        columns = list(result.keys())
        rows = [dict(zip(columns, map(json_value, row), strict=True)) for row in result]
    return {"sql": sql, "results": rows, "row_count": len(rows)}
