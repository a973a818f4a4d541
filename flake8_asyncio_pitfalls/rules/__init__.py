"""Every rule family; importing this package registers all rules.

Where does a rule live?  AIO1xx in ``blocking.py``, AIO2xx in ``legacy.py``,
AIO4xx in ``lifecycle.py``."""
from . import blocking  # noqa: F401
from . import legacy  # noqa: F401
from . import lifecycle  # noqa: F401
