"""Process-level sections: `internals`, and the accepted-but-unsupported `edge`."""

from __future__ import annotations

from typing import Annotated

from pydantic import field_validator

from tradewind.config.models.base import ConfigModel
from tradewind.config.models.fields import Flag, Seconds, whole


class InternalsConfig(ConfigModel):
    """Loop timing and process supervision."""

    section = "internals"

    process_throttle_secs: Annotated[int, whole(ge=1)] = 5
    """Minimum seconds per bot loop iteration."""
    heartbeat_interval: Seconds = 60
    """Seconds between heartbeat log lines; 0 disables them."""
    sd_notify: Flag = False
    """Speak systemd's notify protocol."""


class EdgeConfig(ConfigModel):
    """Freqtrade's removed Edge module: the section is accepted, enabling it is an error."""

    section = "edge"
    tolerate_unknown_keys = True

    enabled: Flag = False

    @field_validator("enabled")
    @classmethod
    def _not_enabled(cls, enabled: bool) -> bool:
        if enabled:
            raise ValueError(
                'Edge is not supported by tradewind (Freqtrade removed it too); remove the "edge" '
                'section or set "enabled": false'
            )
        return enabled
