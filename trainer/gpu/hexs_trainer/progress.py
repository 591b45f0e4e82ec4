"""The contract's progress lines (trainer/README.md): `HEXS_PROGRESS {json}` on stdout.

`Progress` lets exactly one `result` or `failed` line out, so a job can never report both."""
from __future__ import annotations

import json
import sys
from typing import TextIO

PREFIX = "HEXS_PROGRESS "
FINAL_EVENTS = ("result", "failed")


class Progress:
    def __init__(self, out: TextIO | None = None):
        self.out = out
        self.ended = False

    def emit(self, event: str, **fields) -> None:
        if self.ended:
            raise RuntimeError(f"a {event!r} line after the job's final line")
        out = self.out or sys.stdout
        out.write(PREFIX + json.dumps({"event": event, **fields}, allow_nan=False) + "\n")
        out.flush()
        self.ended = event in FINAL_EVENTS
