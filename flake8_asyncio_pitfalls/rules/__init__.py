"""Every rule family; importing this package registers all rules.

Where does a rule live?  AIO1xx in ``blocking.py``, AIO2xx in ``legacy.py``."""
from . import blocking, legacy  # noqa: F401
