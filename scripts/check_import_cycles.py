"""No import cycle between the modules of an app (run by `make test`, after lint-imports).

The layers contracts in pyproject.toml keep the direction between layers; this finds cycles inside
a layer too (services.a -> services.b -> services.a). Imports inside function bodies count. The only
edges left out are the ones the contracts ignore: a task importing its own service in its body.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

APPS = ("liaison", "representatives", "voters", "suggestions")
# (importer prefix, imported prefix): a task runs its service inside the task body (HackSoft).
ALLOWED = (
    ("liaison.tasks", "liaison.services"),
    ("liaison.activities.tasks", "liaison.activities.services"),
    ("representatives.tasks", "representatives.services"),
    ("voters.tasks", "voters.services"),
)


def allowed(importer: str, imported: str) -> bool:
    return any(importer.startswith(a) and imported.startswith(b) for a, b in ALLOWED)


def cycles(graph, app: str) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m == app or m.startswith(app + "."))
    edges = {
        m: sorted(
            i
            for i in graph.find_modules_directly_imported_by(m)
            if (i == app or i.startswith(app + ".")) and not allowed(m, i) and not m.startswith(i + ".")
        )
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                target = targets[i]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def main() -> int:
    graph = grimp.build_graph(*APPS, include_external_packages=False)
    bad = [(app, component) for app in APPS for component in cycles(graph, app)]
    for app, component in bad:
        print(f"import cycle in {app}: {' <-> '.join(component)}", file=sys.stderr)
    if not bad:
        print("no import cycles in", ", ".join(APPS))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
