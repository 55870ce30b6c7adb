"""Copy the front-end packages from ``node_modules/`` into ``static/vendor/``.

Run after ``npm ci``::

    python -m levensloop.assets          # from the repository root
    python levensloop/assets.py          # same, without importing the app package

Only the files the templates load are copied (``templates/base.html`` references
them through ``url_for('static', filename='vendor/...')``). ``static/vendor/`` is
git-ignored; ``node_modules/`` itself is never served. Copying is idempotent: a
file whose content is already identical is left alone. Standard library only, so
it also works before the Python dependencies are installed.
"""

from __future__ import annotations

import filecmp
import json
import pathlib
import shutil
import sys
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class VendorFile:
    package: str  # npm package name, the folder under node_modules/
    source: str  # path inside the package
    target: str  # path under static/vendor/


# Keep in sync with templates/base.html and THIRD_PARTY_NOTICES.md.
VENDOR_FILES: tuple[VendorFile, ...] = (
    VendorFile(
        "@utrecht/component-library-css",
        "dist/index.css",
        "utrecht/index.css",
    ),
    VendorFile(
        "@nl-design-system-unstable/voorbeeld-design-tokens",
        "dist/theme.css",
        "voorbeeld-design-tokens/theme.css",
    ),
    VendorFile(
        "htmx.org",
        "dist/htmx.min.js",
        "htmx/htmx.min.js",
    ),
)


class AssetError(RuntimeError):
    """node_modules is missing or incomplete."""


def _package_version(package_dir: pathlib.Path) -> str:
    try:
        meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?"
    return str(meta.get("version", "?"))


def install_vendor_assets(root: pathlib.Path) -> list[pathlib.Path]:
    """Copy the vendor files of the checkout at ``root``; return the target paths.

    Prints one line per file. Raises ``AssetError`` when ``node_modules`` (or a
    package or file in it) is missing.
    """
    root = pathlib.Path(root)
    node_modules = root / "node_modules"
    if not node_modules.is_dir():
        raise AssetError(
            f"{node_modules} does not exist: run `npm ci` in {root} first "
            "(the Makefile target `make assets` does both)."
        )

    missing = [
        f"{spec.package}/{spec.source}"
        for spec in VENDOR_FILES
        if not (node_modules / spec.package / spec.source).is_file()
    ]
    if missing:
        raise AssetError(
            "node_modules is incomplete, missing: " + ", ".join(missing) + ". Run `npm ci` again."
        )

    vendor = root / "static" / "vendor"
    written: list[pathlib.Path] = []
    for spec in VENDOR_FILES:
        package_dir = node_modules / spec.package
        source = package_dir / spec.source
        target = vendor / spec.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            state = "up to date"
        else:
            shutil.copyfile(source, target)
            state = "copied"
        version = _package_version(package_dir)
        print(f"{state:10}  static/vendor/{spec.target}  ({spec.package} {version})")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = pathlib.Path(args[0]).resolve() if args else ROOT
    try:
        install_vendor_assets(root)
    except AssetError as exc:
        print(f"levensloop.assets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
