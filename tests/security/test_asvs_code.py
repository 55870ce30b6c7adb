"""Static checks over the application code for ASVS requirements that are about what the code
never does: no dynamic code, no shell, no unsafe deserialisation, no templates or SQL built
from strings, and no HTML sinks or browser storage in our own JavaScript."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "levensloop"
OWN_JS = sorted((ROOT / "static" / "js").glob("*.js"))


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _name(func) -> str:
    """Dotted name of a called function: `sa.text`, `subprocess.run`, `eval`."""
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def _imported(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_is_scanned():
    modules = list(_modules())
    assert len(modules) > 50
    assert OWN_JS, "static/js heeft geen eigen scripts meer: pas deze test aan"


@pytest.mark.asvs("V1.3.2")
def test_no_dynamic_code_execution():
    found = [
        f"{path}:{call.lineno}"
        for path, tree in _modules()
        for call in _calls(tree)
        if _name(call.func) in ("eval", "exec", "compile", "__import__")
    ]
    assert not found, found


@pytest.mark.asvs("V1.2.5")
def test_no_shell_and_commands_as_argument_lists():
    found = []
    for path, tree in _modules():
        for call in _calls(tree):
            name = _name(call.func)
            if name in ("os.system", "os.popen") or name.startswith("os.exec"):
                found.append(f"{path}:{call.lineno} {name}")
            if name.startswith("subprocess."):
                if any(k.arg == "shell" for k in call.keywords):
                    found.append(f"{path}:{call.lineno} shell=")
                if call.args and isinstance(call.args[0], ast.Constant | ast.JoinedStr):
                    found.append(f"{path}:{call.lineno} opdracht als tekst")
    assert not found, found


@pytest.mark.asvs("V1.5.2")
def test_no_unsafe_deserialisation():
    unsafe = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "yaml", "jsonpickle"}
    found = [f"{path}: {sorted(_imported(tree) & unsafe)}" for path, tree in _modules()]
    assert all(entry.endswith(": []") for entry in found), [
        e for e in found if not e.endswith(": []")
    ]


@pytest.mark.asvs("V1.3.7")
def test_no_templates_built_from_strings():
    found = [
        f"{path}:{call.lineno}"
        for path, tree in _modules()
        for call in _calls(tree)
        if _name(call.func).split(".")[-1] in ("render_template_string", "from_string", "Template")
    ]
    assert not found, found


def _built_from_strings(arg) -> bool:
    if isinstance(arg, ast.JoinedStr) and any(
        isinstance(v, ast.FormattedValue) for v in arg.values
    ):
        return True
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add | ast.Mod):
        return True
    return isinstance(arg, ast.Call) and _name(arg.func).endswith(".format")


@pytest.mark.asvs("V1.2.4")
def test_sql_text_is_never_built_from_strings():
    """Queries go through SQLAlchemy expressions; a literal `text()` may only bind parameters."""
    found = [
        f"{path}:{call.lineno}"
        for path, tree in _modules()
        for call in _calls(tree)
        if _name(call.func) in ("sa.text", "sqlalchemy.text", "text")
        and call.args
        and _built_from_strings(call.args[0])
    ]
    assert not found, found
    raw = [
        f"{path}:{call.lineno}"
        for path, tree in _modules()
        for call in _calls(tree)
        if _name(call.func).endswith(("exec_driver_sql", "cursor.execute"))
    ]
    assert not raw, raw


JS_SINKS = re.compile(
    r"\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval|Function|"
    r"localStorage|sessionStorage|indexedDB|document\.cookie|postMessage)\b"
)


@pytest.mark.asvs("V3.2.2", "V14.3.3")
def test_own_javascript_has_no_html_sinks_and_no_browser_storage():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in OWN_JS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if JS_SINKS.search(line) and not line.strip().startswith(("*", "//", "/*"))
    ]
    assert not found, found
