"""axe-core checks with a failure message a person can act on."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page, what):
    """Runs axe-core (every rule, best practices included) on the page as it is now."""
    violations = _axe.run(page).response["violations"]
    assert not violations, (
        f"axe-core found {len(violations)} violation(s) on {what} "
        f"({page.url}, {page.viewport_size['width']} px wide):\n{format_violations(violations)}"
    )
