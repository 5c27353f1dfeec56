"""REST client and the `tradewind-client` command (needs only `requests`).

The package is self-contained (standard library + ``requests``, relative imports only) so
``scripts/rest_client.py`` can load it by path from a checkout.
"""

from .rest import TradewindClient
from .transport import ApiConnectionError, ApiError

__all__ = ["ApiConnectionError", "ApiError", "TradewindClient"]
