"""Every rule family; importing this package registers all rules.

Where does a rule live?  AIO1xx in ``blocking.py``, AIO2xx in ``legacy.py``
(its AIO201 fix plan in ``loop_plan.py``), AIO3xx in ``sequential.py``,
AIO4xx in ``lifecycle.py``."""
from . import blocking  # noqa: F401
from . import legacy  # noqa: F401
from . import lifecycle  # noqa: F401
from . import sequential  # noqa: F401
