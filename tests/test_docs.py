"""Docs are checked too: the committed JSON Schema is current, every command is documented."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT
from vn_officialdoc.record import json_schema


def test_committed_schema_is_current():
    committed = json.loads((ROOT / "docs" / "record.schema.json").read_text("utf-8"))
    assert committed == json_schema(), "run: vn-officialdoc schema > docs/record.schema.json"


def test_every_command_has_help_and_readme_section():
    from vn_officialdoc.cli import app
    import typer.main

    group = typer.main.get_command(app)
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, command in group.commands.items():
        assert (command.help or "").strip(), f"command {name} has no help text"
        assert f"vn-officialdoc {name}" in readme, f"README does not document `vn-officialdoc {name}`"
        r = subprocess.run([sys.executable, "-m", "vn_officialdoc", name, "--help"],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr


def test_readme_quick_start_has_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index("## Quick start")
    block = readme[start:].split("```", 2)[1]
    commands = [line for line in block.splitlines()[1:] if line.strip() and not line.startswith("#")]
    assert commands == ["bash scripts/parse-samples.sh", "bash scripts/test.sh"]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "scripts/test.sh" in ci
