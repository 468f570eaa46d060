"""No module of the apps over 450 lines (run by `make test`): a module that grows past it mixes
subjects and is split by subject (a package re-exporting its names where callers need one path).

The one exception is named here with its reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("liaison", "representatives", "voters", "suggestions")
LIMIT = 450
# "Who may see what is decided in one module": the access rules stay together on purpose, so that
# a reviewer reads every rule in one file (docs/architecture.md, "Access rules").
EXCEPTIONS = {"liaison/access.py"}


def main() -> int:
    too_long = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in EXCEPTIONS:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                too_long.append(f"{relative}: {lines} lines")
    if too_long:
        print(f"modules over {LIMIT} lines (split them by subject):", *too_long, sep="\n  ")
        return 1
    print(f"every module of {', '.join(APPS)} is at most {LIMIT} lines (exception: {', '.join(sorted(EXCEPTIONS))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
