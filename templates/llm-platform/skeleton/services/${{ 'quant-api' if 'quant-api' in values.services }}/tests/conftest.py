import sys
from pathlib import Path

HERE = Path(__file__).resolve()
# The service folder (for `main`) and services/ (for `shared`), as PYTHONPATH=/app does in the image.
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[2])]
