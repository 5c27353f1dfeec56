"""The `external_message_consumer` section: a follower's producers (WebSocket spec §5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from pydantic import Field, field_validator, model_validator

from tradewind.config.models.base import ConfigModel
from tradewind.config.models.fields import Flag, Name, Port, Seconds, Text, whole


class ProducerConfig(ConfigModel):
    """One leader bot whose message WebSocket this bot follows."""

    section = "external_message_consumer.producers[]"

    name: Name
    """Storage namespace that strategies refer to (`producer_name`), conventionally "default"."""
    host: Name
    port: Port = 8080
    secure: Flag = False
    """True → wss://."""
    ws_token: Text
    """Sent as `?token=`."""

    def url(self) -> str:
        """The producer's message WebSocket URL, token excluded."""
        scheme = "wss" if self.secure else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}/api/v1/message/ws"


class ExternalMessageConsumerConfig(ConfigModel):
    """Follower settings: which producers to connect to and the connection timings."""

    section = "external_message_consumer"
    renamed_keys: ClassVar[Mapping[str, str]] = {"reply_timeout": "wait_timeout"}

    enabled: Flag = False
    producers: list[ProducerConfig] = Field(default_factory=list)
    wait_timeout: Seconds = 30
    """Idle seconds before the consumer pings."""
    ping_timeout: Seconds = 10
    sleep_time: Seconds = 10
    """Seconds before reconnecting after an error."""
    remove_entry_exit_signals: Flag = False
    initial_candle_limit: Annotated[int, whole(ge=0, le=1500)] = 1500
    message_size_limit: Annotated[int, whole(ge=1, le=20)] = 8
    """Maximum inbound message size in MiB."""

    @field_validator("producers")
    @classmethod
    def _unique_names(cls, producers: list[ProducerConfig]) -> list[ProducerConfig]:
        seen: set[str] = set()
        for producer in producers:
            if producer.name in seen:
                raise ValueError(f"producer names must be unique ('{producer.name}' is repeated)")
            seen.add(producer.name)
        return producers

    @model_validator(mode="after")
    def _needs_a_producer(self) -> ExternalMessageConsumerConfig:
        if self.enabled and not self.producers:
            raise ValueError("You must specify at least 1 Producer to connect to.")
        return self

    @property
    def message_size_bytes(self) -> int:
        """`message_size_limit` in bytes."""
        return self.message_size_limit * 2**20
