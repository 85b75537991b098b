"""`python -m samples OUT_DIR --truth TRUTH_DIR`: see `samples.main`."""
import sys

from . import main

if __name__ == "__main__":      # not when a worker process imports it
    sys.exit(main())
