"""Pydantic models of the Freqtrade-compatible configuration, one module per section."""

from tradewind.config.models.api import DEFAULT_JWT_SECRET, ApiServerConfig, is_weak_jwt_secret
from tradewind.config.models.bot import DRY_RUN_DB_URL, LIVE_DB_URL, BotConfig
from tradewind.config.models.consumer import ExternalMessageConsumerConfig, ProducerConfig
from tradewind.config.models.exchange import SIMULATED_EXCHANGE, ExchangeConfig, SimulationConfig
from tradewind.config.models.pairlists import (
    PAIRLIST_FILTERS,
    PAIRLIST_GENERATORS,
    PAIRLIST_METHODS,
    PairlistConfig,
)
from tradewind.config.models.pricing import (
    DepthOfMarketConfig,
    EntryPricingConfig,
    ExitPricingConfig,
    OrderTimeInForceConfig,
    OrderTypesConfig,
    UnfilledTimeoutConfig,
)
from tradewind.config.models.process import EdgeConfig, InternalsConfig
from tradewind.config.models.rules import consistency_problems

__all__ = [
    "DEFAULT_JWT_SECRET",
    "DRY_RUN_DB_URL",
    "LIVE_DB_URL",
    "PAIRLIST_FILTERS",
    "PAIRLIST_GENERATORS",
    "PAIRLIST_METHODS",
    "SIMULATED_EXCHANGE",
    "ApiServerConfig",
    "BotConfig",
    "DepthOfMarketConfig",
    "EdgeConfig",
    "EntryPricingConfig",
    "ExchangeConfig",
    "ExitPricingConfig",
    "ExternalMessageConsumerConfig",
    "InternalsConfig",
    "OrderTimeInForceConfig",
    "OrderTypesConfig",
    "PairlistConfig",
    "ProducerConfig",
    "SimulationConfig",
    "UnfilledTimeoutConfig",
    "consistency_problems",
    "is_weak_jwt_secret",
]
