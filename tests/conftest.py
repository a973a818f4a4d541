import sys
from pathlib import Path

# the tests import their helpers (markers.py) as top-level modules
sys.path.insert(0, str(Path(__file__).resolve().parent))
