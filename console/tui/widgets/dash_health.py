"""System health: CPU, load, memory, swap, disks and network, with bars against thresholds."""

from __future__ import annotations

from console.core.metrics import SystemHealth
from console.core.sanitize import clean
from console.core.settings import Settings
from console.tui.widgets.dash_format import LEVEL_WORDS, Fit, bar, level, num, rate_short
from console.tui.widgets.dash_metric_panel import MetricPanel
from console.tui.widgets.status_model import DashboardModel

BAR_WIDTH = 6
ROWS: dict[str, tuple[str, str | None]] = {
    "health-cpu": ("cpu", "health.cpu_percent"),
    "health-load": ("load", "health.load1"),
    "health-mem": ("memory", "health.mem_percent"),
    "health-swap": ("swap", "health.swap_percent"),
    "health-disk": ("disk", "health.disk_percent"),
    "health-net": ("net", "health.net_rx_bps"),
}


def _percent(value: float | None, settings: Settings, metric: str) -> tuple[str, str]:
    lvl = level(settings.threshold(metric), value)
    shown = "-" if value is None else f"{value:3.0f}%"
    return f"{bar(value, BAR_WIDTH)} {shown}{LEVEL_WORDS[lvl]}", lvl


def _load(h: SystemHealth, settings: Settings) -> tuple[str, str]:
    per_core = h.load1 / h.cpu_count if h.load1 is not None and h.cpu_count else None
    lvl = level(settings.threshold("load_per_core"), per_core)
    return f"{num(h.load1, 2)} ({num(per_core, 2)}/core){LEVEL_WORDS[lvl]}", lvl


def _disk(h: SystemHealth, settings: Settings) -> tuple[Fit, str]:
    text, lvl = _percent(h.disk_percent, settings, "disk_percent")
    fullest = max(h.disks, key=lambda d: d.percent, default=None)
    return ((f"{text} {clean(fullest.mount, 40)}", text) if fullest else text), lvl


def _net(h: SystemHealth) -> tuple[Fit, str]:
    """Received and sent over the real interfaces, named when there is room."""
    rx, tx = rate_short(h.net_rx_bps), rate_short(h.net_tx_bps)
    plain = f"rx {rx} tx {tx}"
    short = f"rx {rx.removesuffix('/s')} tx {tx.removesuffix('/s')}"
    if not h.net_interfaces:
        return (plain, short), "ok"
    names = ",".join(clean(n, 16) for n in h.net_interfaces)
    return (f"{plain} {names}", plain, short), "ok"


def health_values(h: SystemHealth, settings: Settings) -> dict[str, tuple[Fit, str]]:
    """Row id -> (text, level) for one sample."""
    mem_text, mem_lvl = _percent(h.mem_percent, settings, "mem_percent")
    return {
        "health-cpu": _percent(h.cpu_percent, settings, "cpu_percent"),
        "health-load": _load(h, settings),
        "health-mem": (mem_text, mem_lvl),
        "health-swap": _percent(h.swap_percent, settings, "swap_percent"),
        "health-disk": _disk(h, settings),
        "health-net": _net(h),
    }


class HealthPanel(MetricPanel):
    """The System health widget."""

    KIND, ENTRY, TITLE, ROWS = "health", "health", "System health", ROWS

    def reading(self, model: DashboardModel) -> SystemHealth | None:
        return model.cache.health if model.cache else None

    def values(self, reading: SystemHealth, settings: Settings) -> dict[str, tuple[Fit, str]]:
        return health_values(reading, settings)

    def show(self, model: DashboardModel, settings: Settings) -> None:
        health = self.reading(model)
        if health is not None and health.scope == "container":
            self.border_title = "System health (container)"
        super().show(model, settings)
