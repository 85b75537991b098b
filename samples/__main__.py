"""`python -m samples OUT_DIR --truth TRUTH_DIR`: see `samples.main`."""
import sys

from . import main

sys.exit(main())
